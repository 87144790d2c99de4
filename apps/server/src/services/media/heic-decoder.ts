/**
 * HEIC decoding with heic-decode (libheif compiled to wasm) for when libvips cannot decode HEVC.
 * The wasm decoder runs synchronously, about a second for 12 MP, so it runs in a worker thread: the server's
 * event loop keeps answering requests meanwhile. The image's size is read before any pixels are decoded, so an
 * enormous image is refused without allocating its width × height × 4 bytes.
 * Must never: decode on the main thread, or decode an image above the pixel limit.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface DecodedHeic {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes per pixel; absent when only the size was asked for or the image is over the limit. */
  readonly rgba?: Uint8Array;
}

export class HeicDecodeError extends Error {
  override readonly name = 'HeicDecodeError';
}

// Plain CommonJS evaluated in the worker: it needs no TypeScript loader, whatever runs the server.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const decode = require(workerData.modulePath);
(async () => {
  const images = await decode.all({ buffer: new Uint8Array(workerData.bytes) });
  try {
    const image = images[0];
    const { width, height } = image;
    if (!workerData.pixels || width * height > workerData.maxPixels) {
      parentPort.postMessage({ width, height });
      return;
    }
    const { data } = await image.decode();
    parentPort.postMessage({ width, height, rgba: data }, [data.buffer]);
  } finally {
    images.dispose();
  }
})().catch((error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

const modulePath = createRequire(import.meta.url).resolve('heic-decode');

interface WorkerAnswer {
  width?: number;
  height?: number;
  rgba?: Uint8Array;
  error?: string;
}

/**
 * Read a HEIC's size and, when `pixels` is true and it has at most `maxPixels`, its RGBA pixels (as stored:
 * no EXIF orientation applied; container transforms are, see [Note: HEIF orientation]).
 */
export function decodeHeic(
  bytes: Uint8Array,
  options: { pixels: boolean; maxPixels: number; signal?: AbortSignal },
): Promise<DecodedHeic> {
  const copy = bytes.slice().buffer;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { modulePath, bytes: copy, pixels: options.pixels, maxPixels: options.maxPixels },
      transferList: [copy],
    });
    let settled = false;
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      action();
      void worker.terminate();
    };
    const onAbort = (): void => settle(() => reject(new HeicDecodeError('HEIC decoding was cancelled')));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (answer: WorkerAnswer) =>
      settle(() => {
        if (answer.error !== undefined || answer.width === undefined || answer.height === undefined) {
          reject(new HeicDecodeError(`HEIC could not be decoded: ${answer.error ?? 'no image in the file'}`));
        } else {
          resolve({
            width: answer.width,
            height: answer.height,
            ...(answer.rgba ? { rgba: new Uint8Array(answer.rgba.buffer) } : {}),
          });
        }
      }),
    );
    worker.on('error', (error) => settle(() => reject(new HeicDecodeError(`HEIC decoder failed: ${error.message}`))));
    worker.on('exit', (code) =>
      settle(() => reject(new HeicDecodeError(`HEIC decoder stopped unexpectedly (exit ${code})`))),
    );
  });
}
