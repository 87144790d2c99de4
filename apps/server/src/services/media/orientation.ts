/**
 * EXIF orientation, applied to pixels that arrive without it (heic-decode's raw RGBA, HEIF/AVIF through
 * libvips), and the HEIF container's own transforms.
 * [Note: HEIF orientation] A HEIF/AVIF file may carry its rotation as container properties (`irot`, `imir`),
 * which libheif applies while decoding; files from iPhones carry those and an EXIF Orientation that says the
 * same, so applying EXIF too would turn them twice. Files from tools that copy a JPEG's EXIF (heif-enc,
 * exiftool) carry only the EXIF tag. Rule: when the container has a transform, EXIF orientation is ignored;
 * otherwise it is applied, as for a JPEG.
 */
import type { Sharp } from 'sharp';

/**
 * Turn `image` as EXIF orientation 1–8 says. sharp mirrors before it rotates whatever the call order, which is
 * why 5 and 7 pair a flop with 270° and 90° (checked against libvips' own auto-orientation in the tests).
 */
export function applyOrientation(image: Sharp, orientation: number | null | undefined): Sharp {
  switch (orientation) {
    case 2:
      return image.flop();
    case 3:
      return image.rotate(180);
    case 4:
      return image.flip();
    case 5:
      return image.rotate(270).flop();
    case 6:
      return image.rotate(90);
    case 7:
      return image.rotate(90).flop();
    case 8:
      return image.rotate(270);
    case 1:
    case null:
    case undefined:
    default:
      return image;
  }
}

/** Orientations 5–8 swap width and height. */
export function swapsAxes(orientation: number | null | undefined): boolean {
  return orientation !== null && orientation !== undefined && orientation >= 5 && orientation <= 8;
}

/** The size a viewer shows: stored size with the axes swapped for quarter turns. */
export function displayedSize(
  width: number,
  height: number,
  orientation: number | null | undefined,
): { width: number; height: number } {
  return swapsAxes(orientation) ? { width: height, height: width } : { width, height };
}

interface Box {
  readonly type: string;
  /** Payload start and end (exclusive) within the buffer. */
  readonly start: number;
  readonly end: number;
}

function* boxes(bytes: Uint8Array, start: number, end: number): Generator<Box> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  while (at + 8 <= end) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    let header = 8;
    if (size === 1) {
      if (at + 16 > end) return;
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    if (size < header) return;
    yield { type, start: at + header, end: Math.min(at + size, end) };
    at += size;
  }
}

function child(bytes: Uint8Array, parent: Box, type: string, skip = 0): Box | undefined {
  for (const box of boxes(bytes, parent.start + skip, parent.end)) if (box.type === type) return box;
  return undefined;
}

/**
 * True when a HEIF/AVIF file (its first bytes, enough to hold the `meta` box) declares a rotation or mirror
 * as item properties; see [Note: HEIF orientation].
 */
export function heifHasTransforms(head: Uint8Array): boolean {
  const whole: Box = { type: 'file', start: 0, end: head.length };
  const meta = child(head, whole, 'meta');
  // `meta` is a full box: 4 bytes of version and flags precede its children.
  const iprp = meta && child(head, meta, 'iprp', 4);
  const ipco = iprp && child(head, iprp, 'ipco');
  if (!ipco) return false;
  for (const property of boxes(head, ipco.start, ipco.end)) {
    if (property.type === 'imir') return true;
    if (property.type === 'irot' && ((head[property.start] ?? 0) & 0b11) !== 0) return true;
  }
  return false;
}
