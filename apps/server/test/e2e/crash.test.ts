/**
 * Power-cut proof: SIGKILL the real server process while many uploads are in flight, restart it on the same
 * data directory, and check that every acknowledged file is present and byte-identical, that no half-written
 * file is visible, that staging is empty, and that the index matches the disk.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type PhotoSyncClient } from '@photosync/client';
import { startServerProcess } from '../support/server-process.ts';

const ROUNDS = 4;
const WORKERS = 24;
const NAMES = Array.from({ length: 12 }, (_, i) => `IMG_${1000 + i}.jpg`);
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('crash safety (SIGKILL during concurrent uploads)', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it(`keeps every acknowledged upload across ${ROUNDS} power cuts`, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'photosync-crash-'));
    dirs.push(dataDir);
    const attempted = new Map<string, Buffer>(); // sha256 → content of every upload ever tried
    const acknowledged = new Map<string, string>(); // stored name → sha256 the server confirmed
    const credentials = { email: 'crash@example.com', password: 'crash-test-pw', deviceUuid: 'crash-device' };
    let accountUuid = '';
    let interrupted = 0; // uploads cut by a kill: proves the kills landed mid-upload

    async function verify(client: PhotoSyncClient): Promise<void> {
      const listing = await client.listFiles();
      const listed = new Map(listing.files.map((file) => [file.filename, file.size]));
      expect(listing.total).toBe(listed.size);
      for (const [name, hash] of acknowledged) {
        expect(listed.has(name), `acknowledged ${name} is listed`).toBe(true);
        const response = await client.download(name);
        expect(sha256(new Uint8Array(await response.arrayBuffer())), `bytes of ${name}`).toBe(hash);
      }
      const folder = join(dataDir, 'uploads', accountUuid);
      const onDisk = await readdir(folder).catch(() => [] as string[]);
      expect(new Set(onDisk)).toEqual(new Set(listed.keys()));
      for (const name of onDisk) {
        const hash = sha256(await readFile(join(folder, name)));
        expect(attempted.has(hash), `${name} on disk is a complete upload`).toBe(true);
        expect(listed.get(name)).toBe(attempted.get(hash)?.length);
      }
      expect(await readdir(join(dataDir, 'uploads', '.incoming')).catch(() => [])).toEqual([]);
    }

    for (let round = 0; round <= ROUNDS; round += 1) {
      const server = await startServerProcess(dataDir);
      const anonymous = createClient({ baseUrl: server.url });
      const session = round === 0 ? await anonymous.register(credentials) : await anonymous.login(credentials);
      const claims = JSON.parse(Buffer.from(session.token.split('.')[1] ?? '', 'base64url').toString()) as {
        user_uuid: string;
      };
      accountUuid = claims.user_uuid;
      const client = createClient({
        baseUrl: server.url,
        auth: { token: session.token, deviceUuid: credentials.deviceUuid },
      });
      await verify(client);
      if (round === ROUNDS) {
        expect(await server.kill('SIGTERM')).toBe(0);
        break;
      }
      let stop = false;
      const worker = async (): Promise<void> => {
        while (!stop) {
          const reuse = acknowledged.size > 0 && randomInt(10) === 0;
          const content = reuse
            ? (attempted.get([...acknowledged.values()][randomInt(acknowledged.size)] ?? '') ?? randomBytes(1))
            : randomBytes(randomInt(10_000, 1_500_000));
          const hash = sha256(content);
          attempted.set(hash, content);
          try {
            const result = await client.upload(content, {
              filename: NAMES[randomInt(NAMES.length)] ?? 'x.jpg',
              sha256: hash,
            });
            acknowledged.set(result.filename, hash);
          } catch {
            interrupted += 1;
            return; // the server died under this upload: it was never acknowledged
          }
        }
      };
      const workers = Array.from({ length: WORKERS }, worker);
      await delay(randomInt(300, 900));
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all(workers);
    }
    expect(acknowledged.size).toBeGreaterThan(ROUNDS);
    expect(interrupted).toBeGreaterThanOrEqual(ROUNDS);
    console.log(
      `crash test: ${acknowledged.size} acknowledged, ${interrupted} cut by ${ROUNDS} kills, ${attempted.size} attempted`,
    );
  });
});
