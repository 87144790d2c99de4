/**
 * Disk full, for real: the whole data directory (files, vault, tus, SQLite) of a server process lives on a
 * small tmpfs. A plain upload, a tus PATCH and a vault chunk are each half sent when the test fills the disk;
 * the rest of each gets a clear 507, nothing partial is left, the server keeps serving reads, and once space
 * is freed the same uploads succeed (the tus one resumed from its offset), byte-exact.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readDiskState } from '../support/disk-state.ts';
import { recordResult } from '../support/results.ts';
import { signUp, startServer, tempDirs, type Account } from '../support/server.ts';
import { fillDisk, mountTmpfs, unfill } from '../support/small-disk.ts';
import {
  jsonOf,
  openRequest,
  patch,
  putChunk,
  rawUpload,
  sealedChunk,
  sha256,
  tusCall,
  uploadMetadata,
  type HttpResult,
} from '../support/uploads.ts';
import { TEST_TIMEOUT_MS } from '../support/scale.ts';

const MiB = 2 ** 20;
const half = (bytes: Buffer): number => Math.floor(bytes.length / 2);

function expectInsufficientStorage(result: HttpResult, what: string): void {
  expect(result.status, `${what}: ${result.body.toString()}`).toBe(507);
  expect(jsonOf(result), what).toMatchObject({ code: 'INSUFFICIENT_STORAGE' });
  expect(String(jsonOf(result)?.['error']), what).toMatch(/disk/);
  expect(result.headers['content-type'], what).toMatch(/^application\/json/);
}

async function download(account: Account, name: string): Promise<Buffer> {
  return Buffer.from(await (await account.client.download(name)).arrayBuffer());
}

describe('disk full (the data directory on a 64 MiB tmpfs)', { timeout: TEST_TIMEOUT_MS }, () => {
  const dirs = tempDirs();
  const unmounts: (() => void)[] = [];
  afterAll(async () => {
    for (const unmount of unmounts) unmount();
    await dirs.removeAll();
  });

  it('answers 507 for plain, tus and vault uploads cut by a full disk, keeps serving reads, recovers', async () => {
    const disk = join(await dirs.make('disk-full'), 'disk');
    await mkdir(disk);
    unmounts.push(mountTmpfs(disk, 64));
    const dataDir = join(disk, 'data');
    const server = await startServer(dataDir);
    const account = await signUp(server.url, 'full@example.com');
    const kept = randomBytes(2 * MiB);
    expect((await rawUpload(server.url, account, 'kept.jpg', kept)).status).toBe(200);
    const keptChunk = await sealedChunk(MiB);
    expect((await putChunk(server.url, account, keptChunk.bytes)).status).toBe(200);

    const photo = randomBytes(12 * MiB);
    const chunk = await sealedChunk(2 * MiB);
    const video = randomBytes(12 * MiB);
    const created = await tusCall(server.url, 'POST', '/api/v2/tus', {
      ...account.headers,
      'upload-length': video.length,
      'upload-metadata': uploadMetadata({ filename: 'video.mov', sha256: sha256(video) }),
    });
    const tusPath = String(created.headers.location);
    expect((await patch(server.url, account, tusPath, 0, video.subarray(0, 4 * MiB))).status).toBe(204);
    const plain = openRequest(
      server.url,
      'POST',
      '/api/upload/raw',
      { ...account.headers, 'x-filename': 'photo.jpg', 'content-length': photo.length },
      photo.subarray(0, half(photo)),
    );
    const vaultChunk = openRequest(
      server.url,
      'POST',
      '/api/cloud/chunks',
      { ...account.headers, 'x-chunk-id': chunk.id, 'content-length': chunk.bytes.length },
      chunk.bytes.subarray(0, half(chunk.bytes)),
    );
    const tusPatch = openRequest(
      server.url,
      'PATCH',
      tusPath,
      {
        ...account.headers,
        'tus-resumable': '1.0.0',
        'upload-offset': 4 * MiB,
        'content-type': 'application/offset+octet-stream',
        'content-length': video.length - 4 * MiB,
      },
      video.subarray(4 * MiB, 6 * MiB),
    );
    await vi.waitFor(async () => {
      expect(await readdir(join(dataDir, 'uploads', '.incoming'))).toHaveLength(1);
      expect(await readdir(join(dataDir, 'vault', '.incoming'))).toHaveLength(1);
    });

    // One at a time, each on a disk filled to the last byte: a refused upload gives its space back.
    const fillers = [await fillDisk(disk, 'filler-1.bin')];
    plain.req.end(photo.subarray(half(photo)));
    expectInsufficientStorage(await plain.answer, 'plain upload');
    fillers.push(await fillDisk(disk, 'filler-2.bin'));
    vaultChunk.req.end(chunk.bytes.subarray(half(chunk.bytes)));
    expectInsufficientStorage(await vaultChunk.answer, 'vault chunk');
    fillers.push(await fillDisk(disk, 'filler-3.bin'));
    tusPatch.req.end(video.subarray(6 * MiB));
    expectInsufficientStorage(await tusPatch.answer, 'tus PATCH');
    fillers.push(await fillDisk(disk, 'filler-4.bin'));
    expectInsufficientStorage(await rawUpload(server.url, account, 'later.jpg', randomBytes(MiB)), 'upload while full');
    fillers.push(await fillDisk(disk, 'filler-5.bin'));
    expectInsufficientStorage(await putChunk(server.url, account, (await sealedChunk(MiB)).bytes), 'chunk while full');

    // Nothing partial anywhere; reads keep working.
    const state = await readDiskState(dataDir);
    expect(state.problems).toEqual([]);
    expect([...(state.library.get(account.uuid)?.keys() ?? [])]).toEqual(['kept.jpg']);
    expect([...(state.chunks.get(account.uuid) ?? [])]).toEqual([keptChunk.id]);
    const head = await tusCall(server.url, 'HEAD', tusPath, account.headers);
    const offset = Number(head.headers['upload-offset']);
    expect(offset).toBeGreaterThanOrEqual(4 * MiB);
    const partial = await readFile(join(dataDir, 'tus', tusPath.split('/').pop() ?? ''));
    expect(partial.equals(video.subarray(0, partial.length)), 'tus bytes kept are a prefix of the video').toBe(true);
    expect((await account.client.listFiles()).files.map((file) => file.filename)).toEqual(['kept.jpg']);
    expect((await download(account, 'kept.jpg')).equals(kept)).toBe(true);
    expect(sha256(Buffer.from(await account.client.vault.getChunk(keptChunk.id)))).toBe(keptChunk.id);
    expect(await account.client.health()).toEqual({ ok: true });

    // Space freed: the same uploads go through, the tus one from where it stopped.
    for (const path of fillers) await unfill(path);
    expect(jsonOf(await rawUpload(server.url, account, 'photo.jpg', photo))).toMatchObject({ filename: 'photo.jpg' });
    expect((await putChunk(server.url, account, chunk.bytes)).status).toBe(200);
    const rest = await patch(server.url, account, tusPath, offset, video.subarray(offset));
    expect(rest.status).toBe(204);
    expect(rest.headers['x-photosync-filename']).toBe('video.mov');
    expect((await download(account, 'photo.jpg')).equals(photo)).toBe(true);
    expect((await download(account, 'video.mov')).equals(video)).toBe(true);
    expect(sha256(Buffer.from(await account.client.vault.getChunk(chunk.id)))).toBe(chunk.id);
    expect((await readDiskState(dataDir)).problems).toEqual([]);
    recordResult({
      test: 'disk full (64 MiB tmpfs)',
      faults: 5,
      verified: 5,
      lost: 0,
      notes: 'plain, tus and vault uploads cut by a full disk, and two started on it: 507 each; reads served',
    });
    expect(await server.kill('SIGTERM')).toBe(0);
  });
});
