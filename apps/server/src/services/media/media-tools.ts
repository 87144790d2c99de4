/**
 * Which optional media tools this server can use, found once at start-up: ffmpeg (video poster frames),
 * ffprobe (video duration and creation time), exiftool (metadata other readers cannot parse) and how HEIC is
 * decoded (libvips when its libheif has an HEVC decoder, else the heic-decode wasm build).
 * The pipeline degrades without each tool and says so (placeholder posters, a recorded reason); the admin page
 * shows this to the operator.
 */
import sharp from 'sharp';
import { toolWorks } from './external-tool.ts';

export type HeicDecoder = 'sharp' | 'heic-decode';

export interface MediaToolPaths {
  readonly ffmpeg: string;
  readonly ffprobe: string;
  readonly exiftool: string;
}

export interface MediaTools {
  /** Command to run, or null when the tool is missing. */
  readonly ffmpeg: string | null;
  readonly ffprobe: string | null;
  readonly exiftool: string | null;
  readonly heic: HeicDecoder;
}

/**
 * libvips lists `.heic` among heifload's suffixes only when libheif can decode HEVC; the prebuilt sharp
 * binaries cannot (patents), so HEIC then goes through heic-decode.
 */
export function heicDecoder(): HeicDecoder {
  const suffixes = sharp.format.heif?.input.fileSuffix ?? [];
  return suffixes.includes('.heic') ? 'sharp' : 'heic-decode';
}

export async function detectMediaTools(paths: MediaToolPaths): Promise<MediaTools> {
  const [ffmpeg, ffprobe, exiftool] = await Promise.all([
    toolWorks(paths.ffmpeg, '-version'),
    toolWorks(paths.ffprobe, '-version'),
    toolWorks(paths.exiftool, '-ver'),
  ]);
  return {
    ffmpeg: ffmpeg ? paths.ffmpeg : null,
    ffprobe: ffprobe ? paths.ffprobe : null,
    exiftool: exiftool ? paths.exiftool : null,
    heic: heicDecoder(),
  };
}
