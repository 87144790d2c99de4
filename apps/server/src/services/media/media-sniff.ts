/**
 * What a stored file really is, from its first bytes: names and declared media types lie (a phone may send a
 * HEIC called IMG_1.JPG), and the pipeline must pick a decoder by content. Pure functions, no I/O.
 */
import { open } from 'node:fs/promises';

export type MediaKind = 'photo' | 'video' | 'other';

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'heic' | 'avif';

export type Sniffed =
  | { readonly kind: 'photo'; readonly format: ImageFormat }
  | { readonly kind: 'video'; readonly format: string }
  | { readonly kind: 'other'; readonly format: null };

export const SNIFF_BYTES = 64;

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const AVIF_BRANDS = new Set(['avif', 'avis']);
const VIDEO_BRANDS = /^(isom|iso\d|mp4\d|mp41|mp42|avc1|qt {2}|M4V |M4VH|M4VP|3gp\d|3g2\w|dash|MSNV|f4v |XAVC|crx )$/;

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** Brands of an ISO-BMFF `ftyp` box: the major brand first, then the compatible ones. */
function ftypBrands(head: Uint8Array): string[] {
  if (head.length < 12 || ascii(head, 4, 8) !== 'ftyp') return [];
  const size = Math.min(
    ((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0),
    head.length,
  );
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(head, at, at + 4));
  return brands;
}

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return bytes.every((byte, index) => head[index] === byte);
}

/** Classify by content; `other` when nothing matches. */
export function sniffMedia(head: Uint8Array): Sniffed {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'photo', format: 'jpeg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'photo', format: 'png' };
  if (ascii(head, 0, 4) === 'GIF8') return { kind: 'photo', format: 'gif' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return { kind: 'photo', format: 'webp' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ') return { kind: 'video', format: 'avi' };
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { kind: 'photo', format: 'tiff' };
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return { kind: 'video', format: 'matroska' };
  const brands = ftypBrands(head);
  if (brands.length > 0) {
    const [major = ''] = brands;
    if (AVIF_BRANDS.has(major)) return { kind: 'photo', format: 'avif' };
    if (HEIC_BRANDS.has(major)) return { kind: 'photo', format: 'heic' };
    // A generic still-image brand: the compatible brands say which codec.
    if (major === 'mif1' || major === 'msf1') {
      if (brands.some((brand) => AVIF_BRANDS.has(brand))) return { kind: 'photo', format: 'avif' };
      return { kind: 'photo', format: 'heic' };
    }
    if (VIDEO_BRANDS.test(major) || brands.some((brand) => VIDEO_BRANDS.test(brand))) {
      return { kind: 'video', format: 'mp4' };
    }
  }
  return { kind: 'other', format: null };
}

/** Kind by declared media type, for files the pipeline has not looked at yet. */
export function kindOfMediaType(mime: string): MediaKind {
  if (mime.startsWith('image/')) return 'photo';
  if (mime.startsWith('video/')) return 'video';
  return 'other';
}

/** The first `bytes` bytes of a file (fewer when it is shorter). */
export async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(bytes);
    const { bytesRead } = await file.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Read the first bytes of a file and classify it. */
export async function sniffFile(path: string): Promise<Sniffed> {
  return sniffMedia(await readHead(path, SNIFF_BYTES));
}
