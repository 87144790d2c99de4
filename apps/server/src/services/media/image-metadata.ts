/**
 * Reading a photo's metadata with a chain of readers, because no single one handles every producer:
 * exifr on the file (fast; JPEG, TIFF, PNG, most HEIC/AVIF) → exiftool when installed (reads what exifr calls
 * malformed, e.g. heif-enc's HEIC, and WebP) → exifr on the EXIF block libvips extracted → nothing.
 * The size comes from the image header via libvips (no decoding), else from heic-decode for a HEIC.
 * The later readers run only when the file has EXIF that exifr could not use, so plain screenshots cost no
 * extra process. Never decodes pixels here; a header it cannot read leaves the size unknown, not an error.
 */
import exifr from 'exifr';
import sharp from 'sharp';
import { readFile } from 'node:fs/promises';
import { exifFields, hasUsefulTags, type ExifFields, type Tags } from './exif-fields.ts';
import { runTool } from './external-tool.ts';
import { decodeHeic } from './heic-decoder.ts';
import type { ImageFormat } from './media-sniff.ts';

export type MetadataSource = 'exifr' | 'exiftool' | 'sharp' | 'heic-decode' | 'none';

export interface ImageMetadata extends ExifFields {
  /** Stored size (before orientation), or null when no reader could tell. */
  readonly width: number | null;
  readonly height: number | null;
  readonly source: MetadataSource;
}

export interface ImageMetadataDeps {
  readonly exiftool: string | null;
  readonly maxHeicBytes: number;
  readonly signal?: AbortSignal;
}

const EXIFR_OPTIONS: Parameters<typeof exifr.parse>[1] = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  translateKeys: true,
  translateValues: false,
  reviveValues: false,
  mergeOutput: true,
};

const EXIFTOOL_TAGS = [
  'DateTimeOriginal',
  'OffsetTimeOriginal',
  'SubSecTimeOriginal',
  'CreateDate',
  'OffsetTime',
  'OffsetTimeDigitized',
  'Orientation',
  'Make',
  'Model',
  'GPSLatitude',
  'GPSLatitudeRef',
  'GPSLongitude',
  'GPSLongitudeRef',
];

const NO_FIELDS = exifFields({});

/** exifr's answer, or undefined when it failed or found nothing we store. */
async function withExifr(input: string | Buffer): Promise<ExifFields | undefined> {
  try {
    const tags = (await exifr.parse(input, EXIFR_OPTIONS)) as Tags | undefined;
    if (!tags) return undefined;
    const fields = exifFields(tags);
    return hasUsefulTags(fields) ? fields : undefined;
  } catch {
    return undefined;
  }
}

async function withExiftool(command: string, path: string, signal?: AbortSignal): Promise<ExifFields | undefined> {
  try {
    const args = ['-j', '-n', '-fast', ...EXIFTOOL_TAGS.map((tag) => `-${tag}`), '--', path];
    const { stdout } = await runTool(command, args, { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
    const [tags] = JSON.parse(stdout.toString('utf8')) as Tags[];
    const fields = exifFields(tags ?? {});
    return hasUsefulTags(fields) ? fields : undefined;
  } catch {
    return undefined;
  }
}

/** libvips hands EXIF over with the JPEG APP1 prefix ("Exif\0\0"); exifr wants the TIFF structure after it. */
function tiffOf(exif: Buffer): Buffer {
  return exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
}

export async function readImageMetadata(
  path: string,
  format: ImageFormat,
  deps: ImageMetadataDeps,
): Promise<ImageMetadata> {
  // The header only: the pixel limit is enforced where pixels are decoded, not here.
  const header = await sharp(path, { limitInputPixels: false })
    .metadata()
    .catch(() => undefined);
  let width = header?.width ?? null;
  let height = header?.height ?? null;
  let source: MetadataSource = 'exifr';
  let fields = await withExifr(path);
  if (!fields && header?.exif && deps.exiftool) {
    fields = await withExiftool(deps.exiftool, path, deps.signal);
    source = 'exiftool';
  }
  if (!fields && header?.exif) {
    fields = await withExifr(tiffOf(header.exif));
    source = 'sharp';
  }
  if (!fields) source = header ? 'sharp' : 'none';
  if ((width === null || height === null) && format === 'heic') {
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes && bytes.length <= deps.maxHeicBytes) {
      const probed = await decodeHeic(bytes, {
        pixels: false,
        maxPixels: 0,
        ...(deps.signal ? { signal: deps.signal } : {}),
      }).catch(() => undefined);
      if (probed) {
        ({ width, height } = probed);
        if (!fields) source = 'heic-decode';
      }
    }
  }
  return { ...(fields ?? NO_FIELDS), width, height, source };
}
