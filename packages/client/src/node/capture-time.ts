/**
 * When a photo was taken, from its EXIF DateTimeOriginal (exifr reads JPEG, HEIC/AVIF, TIFF/RAW, PNG eXIf
 * and WebP). Undefined when the file has none or is not a format exifr reads (most videos): the caller
 * falls back to the modification time. Never throws for a bad file.
 */

export async function captureTimeMs(path: string): Promise<number | undefined> {
  // Loaded on use: only dedupe reads capture times.
  const { default: exifr } = await import('exifr');
  try {
    const tags = (await exifr.parse(path, { pick: ['DateTimeOriginal'] })) as
      { DateTimeOriginal?: unknown } | undefined;
    const taken = tags?.DateTimeOriginal;
    return taken instanceof Date && !Number.isNaN(taken.getTime()) ? taken.getTime() : undefined;
  } catch {
    return undefined;
  }
}
