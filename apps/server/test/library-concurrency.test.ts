/**
 * Concurrent uploads of one account take no lock (see [Note: upload commit order]): races on names and on
 * identical content must still end with unique names, one copy per content, and an index equal to the disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type PhotoSyncClient } from '@photosync/client';
import { registerUser, startTestServer, type TestServer } from './support/test-server.ts';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('concurrent uploads of one account', () => {
  let server: TestServer;
  let client: PhotoSyncClient;
  let folder: string;

  beforeAll(async () => {
    server = await startTestServer();
    const baseUrl = await server.listen();
    const session = await registerUser(server.app);
    client = createClient({ baseUrl, auth: { token: session.token, deviceUuid: session.deviceUuid } });
    const row = await server.context.db
      .selectFrom('accounts')
      .select('uuid')
      .where('email', '=', session.email)
      .executeTakeFirstOrThrow();
    folder = join(server.dataDir, 'uploads', row.uuid);
  });
  afterAll(async () => server.close());

  it('gives 30 different files with one name 30 distinct names, and stores 10 copies of one content once', async () => {
    const distinct = Array.from({ length: 30 }, () => randomBytes(50_000 + Math.floor(Math.random() * 50_000)));
    const same = randomBytes(80_000);
    const results = await Promise.all([
      ...distinct.map((bytes) => client.upload(bytes, { filename: 'IMG_0001.JPG' })),
      ...Array.from({ length: 10 }, (_, i) => client.upload(same, { filename: `copy-${i}.jpg` })),
    ]);

    const distinctNames = results.slice(0, 30).map((result) => result.filename);
    expect(new Set(distinctNames).size).toBe(30);
    expect(results.slice(0, 30).every((result) => result.duplicate === undefined)).toBe(true);
    const sameResults = results.slice(30);
    expect(new Set(sameResults.map((result) => result.filename)).size).toBe(1);
    expect(sameResults.filter((result) => result.duplicate !== true)).toHaveLength(1);

    const onDisk = (await readdir(folder)).sort();
    const listed = (await client.listFiles()).files.map((file) => file.filename).sort();
    expect(onDisk).toEqual(listed);
    expect(onDisk).toHaveLength(31);
    const stored = new Map<string, string>();
    for (const name of onDisk) stored.set(sha256(await readFile(join(folder, name))), name);
    expect(stored.size).toBe(31);
    for (const bytes of [...distinct, same]) expect(stored.has(sha256(bytes))).toBe(true);
    expect(await readdir(join(server.dataDir, 'uploads', '.incoming'))).toEqual([]);
  });
});
