/**
 * Is this file a photo or a video? Decided from its first bytes (magic numbers, ISO-BMFF `ftyp` brands),
 * because phones and cameras produce files with missing or wrong extensions. The extension only refines the
 * media type of containers that many formats share (TIFF-based RAW files) and lets a scanner skip reading
 * files that are plainly documents. Pure: no I/O, so every platform's scanner uses the same rules.
 */

export type MediaKind = 'photo' | 'video';

export interface SniffedMedia {
  readonly kind: MediaKind;
  readonly mediaType: string;
}

/** How many leading bytes `sniffMedia` wants (MPEG-TS needs a second packet at 188/192). */
export const SNIFF_BYTES = 512;

const PHOTO_EXTENSIONS: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  hif: 'image/heif',
  avif: 'image/avif',
  jxl: 'image/jxl',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  dng: 'image/x-adobe-dng',
  cr2: 'image/x-canon-cr2',
  cr3: 'image/x-canon-cr3',
  nef: 'image/x-nikon-nef',
  arw: 'image/x-sony-arw',
  orf: 'image/x-olympus-orf',
  rw2: 'image/x-panasonic-rw2',
  raf: 'image/x-fuji-raf',
  pef: 'image/x-pentax-pef',
  srw: 'image/x-samsung-srw',
};

const VIDEO_EXTENSIONS: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/x-m4v',
  mov: 'video/quicktime',
  '3gp': 'video/3gpp',
  '3g2': 'video/3gpp2',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  mts: 'video/mp2t',
  m2ts: 'video/mp2t',
  ts: 'video/mp2t',
  mpg: 'video/mpeg',
  mpeg: 'video/mpeg',
  wmv: 'video/x-ms-wmv',
  flv: 'video/x-flv',
};

export function extensionOf(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** The media type a photo/video extension stands for, or undefined for any other name. */
export function mediaTypeOfName(name: string): string | undefined {
  const extension = extensionOf(name);
  return PHOTO_EXTENSIONS[extension] ?? VIDEO_EXTENSIONS[extension];
}

const DOCUMENT_EXTENSIONS = new Set(
  'txt md json xml xmp yaml yml csv html htm css js ts pdf doc docx xls xlsx ppt pptx odt zip gz tar 7z rar db sqlite ini log aae thm lrv'.split(
    ' ',
  ),
);

/** Names a scanner need not open: documents, archives and camera side-car files. */
export function isDocumentName(name: string): boolean {
  return DOCUMENT_EXTENSIONS.has(extensionOf(name));
}

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

const startsWith = (bytes: Uint8Array, signature: readonly number[], at = 0): boolean =>
  bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);

const photo = (mediaType: string): SniffedMedia => ({ kind: 'photo', mediaType });
const video = (mediaType: string): SniffedMedia => ({ kind: 'video', mediaType });

const FTYP_BRANDS: Record<string, SniffedMedia> = {
  heic: photo('image/heic'),
  heix: photo('image/heic'),
  heim: photo('image/heic'),
  heis: photo('image/heic'),
  hevc: photo('image/heic-sequence'),
  hevx: photo('image/heic-sequence'),
  mif1: photo('image/heif'),
  msf1: photo('image/heif-sequence'),
  avif: photo('image/avif'),
  avis: photo('image/avif'),
  'crx ': photo('image/x-canon-cr3'),
  'qt  ': video('video/quicktime'),
  isom: video('video/mp4'),
  iso2: video('video/mp4'),
  iso4: video('video/mp4'),
  iso5: video('video/mp4'),
  iso6: video('video/mp4'),
  mp41: video('video/mp4'),
  mp42: video('video/mp4'),
  avc1: video('video/mp4'),
  dash: video('video/mp4'),
  'M4V ': video('video/x-m4v'),
  M4VH: video('video/x-m4v'),
  M4VP: video('video/x-m4v'),
  '3gp4': video('video/3gpp'),
  '3gp5': video('video/3gpp'),
  '3gp6': video('video/3gpp'),
  '3ge6': video('video/3gpp'),
  '3g2a': video('video/3gpp2'),
};

/** ISO-BMFF (HEIC, AVIF, MP4, MOV, 3GP, CR3): the major brand, else the first known compatible brand. */
function sniffFtyp(head: Uint8Array): SniffedMedia | undefined {
  if (ascii(head, 4, 4) !== 'ftyp') return undefined;
  const major = FTYP_BRANDS[ascii(head, 8, 4)];
  if (major) return major;
  const boxSize = ((head[0] ?? 0) << 24) | ((head[1] ?? 0) << 16) | ((head[2] ?? 0) << 8) | (head[3] ?? 0);
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4) {
    const compatible = FTYP_BRANDS[ascii(head, at, 4)];
    if (compatible) return compatible;
  }
  return undefined;
}

function sniffTiff(head: Uint8Array, extension: string): SniffedMedia | undefined {
  const tiff =
    startsWith(head, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(head, [0x49, 0x49, 0x2b, 0x00]);
  if (tiff) return photo(PHOTO_EXTENSIONS[extension] ?? 'image/tiff');
  if (ascii(head, 0, 4) === 'IIRO' || ascii(head, 0, 4) === 'IIRS') return photo('image/x-olympus-orf');
  if (startsWith(head, [0x49, 0x49, 0x55, 0x00])) return photo('image/x-panasonic-rw2');
  return undefined;
}

function sniffTransportStream(head: Uint8Array): boolean {
  return (head[0] === 0x47 && head[188] === 0x47) || (head[4] === 0x47 && head[196] === 0x47);
}

/**
 * The photo/video type of a file from its first bytes (`SNIFF_BYTES` is enough), or undefined when they
 * carry no photo or video signature. `name` only refines TIFF-based RAW types.
 */
export function sniffMedia(head: Uint8Array, name = ''): SniffedMedia | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return photo('image/jpeg');
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return photo('image/png');
  const text4 = ascii(head, 0, 4);
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return photo('image/gif');
  if (text4 === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return photo('image/webp');
  if (text4 === 'RIFF' && ascii(head, 8, 4) === 'AVI ') return video('video/x-msvideo');
  const ftyp = sniffFtyp(head);
  if (ftyp) return ftyp;
  const tiff = sniffTiff(head, extensionOf(name));
  if (tiff) return tiff;
  if (ascii(head, 0, 15) === 'FUJIFILMCCD-RAW') return photo('image/x-fuji-raf');
  if (startsWith(head, [0xff, 0x0a]) || startsWith(head, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20]))
    return photo('image/jxl');
  if (text4.startsWith('BM') && [12, 40, 52, 56, 108, 124].includes(head[14] ?? -1) && head[15] === 0)
    return photo('image/bmp');
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3]))
    return video(ascii(head, 0, 64).includes('webm') ? 'video/webm' : 'video/x-matroska');
  if (startsWith(head, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return video('video/x-ms-wmv');
  if (startsWith(head, [0x00, 0x00, 0x01, 0xba])) return video('video/mpeg');
  if (ascii(head, 0, 3) === 'FLV' && head[3] === 1) return video('video/x-flv');
  if (sniffTransportStream(head)) return video('video/mp2t');
  return undefined;
}
