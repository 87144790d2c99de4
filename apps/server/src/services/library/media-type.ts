/** Media type of a stored file: the client's declared type, else one guessed from the extension. */
import { splitExtension } from './file-name.ts';

const BY_EXTENSION: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.dng': 'image/x-adobe-dng',
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.mov': 'video/quicktime',
  '.3gp': 'video/3gpp',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.avi': 'video/x-msvideo',
};

const GENERIC = 'application/octet-stream';
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function mediaTypeOf(filename: string, declared: string | undefined): string {
  const essence = declared?.split(';')[0]?.trim().toLowerCase();
  if (essence && essence !== GENERIC && MEDIA_TYPE.test(essence)) return essence;
  return BY_EXTENSION[splitExtension(filename)[1].toLowerCase()] ?? GENERIC;
}
