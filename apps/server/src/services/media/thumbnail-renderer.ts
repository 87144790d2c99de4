/**
 * Rendering the two derived images of an asset: a grid thumbnail (fits 256 px) and a preview (fits 1440 px),
 * both WebP, orientation applied. The source is decoded once, scaled to the preview size, and both files are
 * encoded from those pixels. The pixel limit is passed to libvips as `limitInputPixels`, so a decompression bomb
 * is refused before its pixels are allocated. Also the placeholder shown for a video when ffmpeg is missing.
 */
import sharp, { type Sharp } from 'sharp';
import { decodeHeic } from './heic-decoder.ts';
import type { HeicDecoder } from './media-tools.ts';
import type { ImageFormat } from './media-sniff.ts';
import { applyOrientation } from './orientation.ts';

export const GRID_SIZE = 256;
export const PREVIEW_SIZE = 1440;
/** Part of every thumbnail ETag: bump when the renderer's output changes so caches fetch the new files. */
export const RENDER_VERSION = 1;

export interface Thumbnails {
  readonly grid: Buffer;
  readonly preview: Buffer;
  /** The preview's pixel size: the picture as displayed, orientation applied. */
  readonly width: number;
  readonly height: number;
}

export interface ImageSource {
  readonly path: string;
  readonly format: ImageFormat;
  /** EXIF orientation, applied here where libvips would not (HEIF family). */
  readonly orientation: number | null;
  /** The HEIF container rotates/mirrors itself: EXIF orientation is then ignored ([Note: HEIF orientation]). */
  readonly containerTransforms: boolean;
  readonly maxPixels: number;
  readonly heic: HeicDecoder;
  readonly readBytes: () => Promise<Buffer>;
  readonly signal?: AbortSignal;
}

const fitInside = (size: number) => ({ width: size, height: size, fit: 'inside' as const, withoutEnlargement: true });

/** Scale once to the preview size, then encode the preview and the grid thumbnail from those pixels. */
async function render(image: Sharp): Promise<Thumbnails> {
  const { data, info } = await image.resize(fitInside(PREVIEW_SIZE)).raw().toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  const [preview, grid] = await Promise.all([
    sharp(data, raw).webp({ quality: 80 }).toBuffer(),
    sharp(data, raw).resize(fitInside(GRID_SIZE)).webp({ quality: 75 }).toBuffer(),
  ]);
  return { grid, preview, width: info.width, height: info.height };
}

/** Open a photo as a correctly oriented libvips pipeline. */
async function openImage(source: ImageSource): Promise<Sharp> {
  const options = { limitInputPixels: source.maxPixels, failOn: 'truncated' as const, animated: false };
  const exifOrientation = source.containerTransforms ? null : source.orientation;
  if (source.format === 'heic' && source.heic === 'heic-decode') {
    const decoded = await decodeHeic(await source.readBytes(), {
      pixels: true,
      maxPixels: source.maxPixels,
      ...(source.signal ? { signal: source.signal } : {}),
    });
    if (!decoded.rgba) {
      throw new RangeError(`Image has ${decoded.width} × ${decoded.height} pixels, above the limit`);
    }
    const raw = { width: decoded.width, height: decoded.height, channels: 4 as const };
    return applyOrientation(sharp(decoded.rgba, { raw, limitInputPixels: source.maxPixels }), exifOrientation);
  }
  if (source.format === 'heic' || source.format === 'avif') {
    // libheif has applied the container's transforms; libvips ignores EXIF orientation for HEIF.
    return applyOrientation(sharp(source.path, options), exifOrientation);
  }
  return sharp(source.path, options).autoOrient();
}

export async function renderPhoto(source: ImageSource): Promise<Thumbnails> {
  return render(await openImage(source));
}

/** Thumbnails from a decoded video frame (PNG bytes from ffmpeg, already rotated). */
export function renderFrame(frame: Buffer, maxPixels: number): Promise<Thumbnails> {
  return render(sharp(frame, { limitInputPixels: maxPixels, failOn: 'truncated' }));
}

const PLACEHOLDER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1440" height="810" viewBox="0 0 1440 810">
  <rect width="1440" height="810" fill="#2b2f36"/>
  <rect x="470" y="255" width="500" height="300" rx="36" fill="none" stroke="#8a93a3" stroke-width="24"/>
  <path d="M660 330 L660 480 L790 405 Z" fill="#8a93a3"/>
</svg>`;

let placeholder: Promise<Thumbnails> | undefined;

/** A neutral "video" picture for videos whose poster frame cannot be made (ffmpeg missing); made once. */
export function videoPlaceholder(): Promise<Thumbnails> {
  placeholder ??= render(sharp(Buffer.from(PLACEHOLDER_SVG)));
  return placeholder;
}
