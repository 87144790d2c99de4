/**
 * Request bodies of known length that are read only as they are sent: a file to upload, or one slice of it
 * for a tus PATCH. Sending one is a port (`SendSizedBody`), because the cheapest way to stream bytes into a
 * socket is platform specific: Node writes them to node:http with a Content-Length (see
 * ../node/sized-body-sender.ts); browsers and React Native hand fetch a ReadableStream (`sendWithFetch`).
 * Platform-neutral. Never buffers a whole body, and never reads a body before the connection asks for it.
 */

/** A request body of `size` bytes, produced by `chunks()` when the request is sent (again for a retry). */
export interface SizedBody {
  readonly size: number;
  chunks(): AsyncIterable<Uint8Array>;
  /**
   * True when the chunks share one buffer: a chunk is valid only until the next one is asked for, so a
   * sender must have written (or copied) it by then. Lets Node stream gigabytes without a fresh buffer per
   * read (see `LocalFiles.readReusingBuffer`).
   */
  readonly reusesChunks?: boolean;
}

export interface SizedBodyRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: SizedBody;
  readonly signal?: AbortSignal;
}

/**
 * Port: send a request with a `SizedBody` and give back the answer as a fetch `Response`. Like fetch, a
 * request that got no HTTP answer (refused, reset, timed out) rejects with a `TypeError` whose `cause`
 * carries the socket error code, so callers classify failures the same way whichever sender ran.
 */
export type SendSizedBody = (request: SizedBodyRequest) => Promise<Response>;

export function isSizedBody(body: unknown): body is SizedBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as Partial<SizedBody>).size === 'number' &&
    typeof (body as Partial<SizedBody>).chunks === 'function'
  );
}

/** The portable sender: a pull-based ReadableStream (no read-ahead) through `fetchImpl`. */
export function sendWithFetch(fetchImpl: typeof globalThis.fetch): SendSizedBody {
  return ({ url, method, headers, body, signal }) => {
    const init: RequestInit & { duplex: 'half' } = {
      method,
      headers: { ...headers, 'content-length': String(body.size) },
      body: pullStream(body.chunks(), body.reusesChunks === true),
      duplex: 'half',
    };
    if (signal) init.signal = signal;
    return fetchImpl(url, init);
  };
}

/** `copy`: fetch may still hold a chunk when it asks for the next, so a reused buffer is copied first. */
function pullStream(chunks: AsyncIterable<Uint8Array>, copy: boolean): ReadableStream<Uint8Array> {
  const iterator: AsyncIterator<Uint8Array, unknown> = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(copy ? next.value.slice() : next.value);
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** `chunks` unchanged, calling `onBytes` with each chunk's length as it is handed on. */
export async function* countedChunks(
  chunks: AsyncIterable<Uint8Array>,
  onBytes: (bytes: number) => void,
): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    onBytes(chunk.byteLength);
    yield chunk;
  }
}

/**
 * Exactly `size` bytes of `chunks`: a file that grew or shrank since it was measured fails the request
 * (with a Content-Length the server would otherwise wait for bytes that never come, or cut the body short).
 */
export async function* exactly(chunks: AsyncIterable<Uint8Array>, size: number): AsyncIterable<Uint8Array> {
  let sent = 0;
  for await (const chunk of chunks) {
    sent += chunk.byteLength;
    if (sent > size) throw new Error(`changed while being sent: more than the ${size} bytes it had`);
    yield chunk;
  }
  if (sent < size) throw new Error(`changed while being sent: ${sent} of the ${size} bytes it had`);
}

/** At most `length` bytes of `chunks` (a tus PATCH carries one slice of the file). */
export async function* takeBytes(chunks: AsyncIterable<Uint8Array>, length: number): AsyncIterable<Uint8Array> {
  let left = length;
  if (left <= 0) return;
  for await (const chunk of chunks) {
    if (chunk.byteLength >= left) {
      yield chunk.subarray(0, left);
      return;
    }
    left -= chunk.byteLength;
    yield chunk;
  }
}
