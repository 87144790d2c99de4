/**
 * Photo folders on disk for the backup phases, written before anything is timed. Every file starts with a
 * JPEG start-of-image and JFIF header, so the client's content sniffing takes it for a photo, and files sit
 * in camera-style sub-folders of at most FILES_PER_FOLDER:
 * - photos: the distinct PhotoPool bodies (~3 MB), fsynced, so their writeback never lands in a timed phase;
 * - small files: `bytes` each, distinct by their index (not fsynced: a few tens of MB).
 * Must never: write outside the folder it is given, or give two files the same content.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runBounded } from './http-load.ts';
import { tinyBody, type PhotoPool } from './payloads.ts';

const FILES_PER_FOLDER = 1_000;
const WRITERS = 8;
/** SOI, then an APP0 JFIF segment: what a camera JPEG starts with. */
const JPEG_HEADER = Buffer.from('ffd8ffe000104a46494600010101004800480000', 'hex');

/** What was written: every file, and the total bytes (what a backup must send). */
export interface PhotoFolder {
  readonly dir: string;
  readonly paths: readonly string[];
  readonly bytes: number;
}

async function writeFolder(
  dir: string,
  count: number,
  content: (index: number) => readonly Buffer[],
  flush: boolean,
): Promise<PhotoFolder> {
  let bytes = 0;
  const paths = Array.from({ length: count }, (_, index) =>
    join(dir, folderName(index), `IMG_${index.toString().padStart(6, '0')}.JPG`),
  );
  for (let first = 0; first < count; first += FILES_PER_FOLDER) {
    await mkdir(join(dir, folderName(first)), { recursive: true });
  }
  await runBounded(count, WRITERS, async (index) => {
    const parts = [JPEG_HEADER, ...content(index)];
    await writeFile(paths[index] ?? '', parts, { flag: 'wx', flush });
    bytes += parts.reduce((sum, part) => sum + part.byteLength, 0);
  });
  return { dir, paths, bytes };
}

function folderName(index: number): string {
  return `${100 + Math.floor(index / FILES_PER_FOLDER)}CAMERA`;
}

/** `count` photos of the pool's size, the pool bodies 0..count-1 after the header. */
export function writePhotoFolder(dir: string, pool: PhotoPool, count: number): Promise<PhotoFolder> {
  return writeFolder(dir, count, (index) => pool.body(index).chunks, true);
}

/** `count` small photos of exactly `bytes` each. */
export function writeSmallPhotoFolder(dir: string, count: number, bytes: number): Promise<PhotoFolder> {
  const filler = randomBytes(bytes);
  return writeFolder(dir, count, (index) => [tinyBody(index, bytes - JPEG_HEADER.byteLength, filler)], false);
}
