/**
 * Turning a client-supplied file name into a safe stored name, and the `name (1).ext` series for clashes.
 * [Note: safe names] A stored name is one path segment: no separators, no `..`, no NUL or control characters,
 * none of Windows' reserved characters, at most 255 UTF-8 bytes (the common filesystem limit), NFC. A name
 * that is nothing after cleaning is refused. Directory parts (`a/b/x.jpg`, `..\x.jpg`) are dropped, keeping the
 * last segment, as browsers do for uploads.
 */
import { BadRequest } from '../errors.ts';

const MAX_NAME_BYTES = 255;
// Control characters (C0, DEL, C1) and characters Windows forbids in names.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f<>:"|?*]/g;
const TRAILING_DOTS_AND_SPACES = /[. ]+$/;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cut `text` to at most `maxBytes` UTF-8 bytes without splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  let result = '';
  for (const char of text) {
    if (utf8Length(result + char) > maxBytes) break;
    result += char;
  }
  return result;
}

/** Split "photo.final.jpg" into ["photo.final", ".jpg"]; dotfiles and names without a dot have no extension. */
export function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > 16) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

/** Clean a name for storage; throws BadRequest INVALID_FILENAME when nothing usable remains. */
export function sanitizeFileName(raw: string): string {
  const lastSegment = raw.split(/[/\\]/).pop() ?? '';
  let name = lastSegment.normalize('NFC').replace(UNSAFE_CHARACTERS, '_').trim();
  name = name.replace(TRAILING_DOTS_AND_SPACES, '');
  if (utf8Length(name) > MAX_NAME_BYTES) {
    const [stem, extension] = splitExtension(name);
    // The cut may end on a dot or space: strip again so a cut name is as clean as any other.
    const cut = truncateUtf8(stem, MAX_NAME_BYTES - utf8Length(extension) - 12);
    name = cut.replace(TRAILING_DOTS_AND_SPACES, '') + extension;
  }
  if (name === '') {
    throw new BadRequest(`Invalid file name: ${JSON.stringify(raw.slice(0, 100))}`, 'INVALID_FILENAME');
  }
  return name;
}

/** `photo.jpg`, `photo (1).jpg`, `photo (2).jpg`, ... (a bounded series). */
export function* nameCandidates(name: string, limit = 10_000): Generator<string> {
  yield name;
  const [stem, extension] = splitExtension(name);
  for (let n = 1; n <= limit; n += 1) yield `${stem} (${n})${extension}`;
}

/**
 * Decode an `X-Filename` header. Node hands header bytes over as latin1; phones send UTF-8 either raw or
 * percent-encoded. Both are accepted (a raw name that merely contains "%" and is not valid encoding is kept).
 */
export function decodeHeaderFileName(header: string): string {
  let name = header;
  // eslint-disable-next-line no-control-regex
  if (/[\u0080-\u00ff]/.test(name) && !/[^\u0000-\u00ff]/.test(name)) {
    const utf8 = Buffer.from(name, 'latin1').toString('utf8');
    if (!utf8.includes('\ufffd')) name = utf8;
  }
  if (/%[0-9A-Fa-f]{2}/.test(name)) {
    try {
      name = decodeURIComponent(name);
    } catch {
      // Not percent-encoding after all: keep the name as sent.
    }
  }
  return name;
}
