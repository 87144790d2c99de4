// Abandoned partial uploads expire: one that received nothing for TUS_EXPIRY_HOURS is deleted by the periodic
// cleaner and at start-up, while active ones stay. A complete upload a crash left unfinished is stored at
// start-up instead (a tus client would otherwise read its full offset as "stored").
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/index.ts';
import { indexRows } from '../support/library.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { createUpload, patch, tusCall } from './tus-support.ts';

const HOUR = 3_600_000;

describe('resumable uploads: expiry and start-up', () => {
  let dataDir: string;
  let server: TestServer;
  let baseUrl: string;
  let session: Session;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'photosync-tus-expiry-'));
    server = await startTestServer({ TUS_EXPIRY_HOURS: '2' }, dataDir);
    baseUrl = await server.listen();
    session = await registerUser(server.app);
  });
  afterEach(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const tusDir = () => join(dataDir, 'tus');
  const idOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

  /** Pretend the upload last received bytes `hoursAgo` hours ago. */
  async function age(path: string, hoursAgo: number): Promise<void> {
    const then = new Date(Date.now() - hoursAgo * HOUR);
    for (const file of [idOf(path), `${idOf(path)}.json`]) await utimes(join(tusDir(), file), then, then);
  }

  async function partialUpload(): Promise<string> {
    const bytes = randomBytes(5000);
    const path = await createUpload(baseUrl, session, bytes);
    expect((await patch(baseUrl, session, path, 0, bytes.subarray(0, 2000))).status).toBe(204);
    return path;
  }

  it('the cleaner deletes uploads idle longer than TUS_EXPIRY_HOURS and keeps the others', async () => {
    const abandoned = await partialUpload();
    const recent = await partialUpload();
    await age(abandoned, 2.5);
    await age(recent, 1.5);
    expect(await server.context.resumable.removeExpired()).toBe(1);
    expect((await tusCall(baseUrl, 'HEAD', abandoned, session.headers)).status).toBe(404);
    expect((await tusCall(baseUrl, 'HEAD', recent, session.headers)).headers['upload-offset']).toBe('2000');
    expect((await readdir(tusDir())).sort()).toEqual([idOf(recent), `${idOf(recent)}.json`].sort());
  });

  it('measures idleness from the last byte received, not from creation', async () => {
    const path = await partialUpload();
    await age(path, 3);
    const resumed = await patch(baseUrl, session, path, 2000, randomBytes(1000));
    expect(resumed.status).toBe(204);
    expect(await server.context.resumable.removeExpired()).toBe(0);
    expect((await tusCall(baseUrl, 'HEAD', path, session.headers)).headers['upload-offset']).toBe('3000');
  });

  it('deletes expired uploads at start-up', async () => {
    const abandoned = await partialUpload();
    await age(abandoned, 5);
    await server.close();
    server = await startTestServer({ TUS_EXPIRY_HOURS: '2' }, dataDir);
    baseUrl = await server.listen();
    expect(server.context.resumableRecovery.expired).toBe(1);
    expect(await readdir(tusDir())).toEqual([]);
  });

  it('stores at start-up a complete upload whose finish a crash interrupted', async () => {
    const bytes = randomBytes(4096);
    const path = await createUpload(baseUrl, session, bytes, 'interrupted.jpg');
    await server.close();
    // As if the last PATCH had written every byte and the process died before storing the file.
    await writeFile(join(tusDir(), idOf(path)), bytes);
    server = await startTestServer({ TUS_EXPIRY_HOURS: '2' }, dataDir);
    expect(server.context.resumableRecovery.completed).toMatchObject([
      { filename: 'interrupted.jpg', duplicate: false },
    ]);
    expect(await indexRows(server, session)).toMatchObject([{ filename: 'interrupted.jpg', size: 4096 }]);
    expect(await readdir(tusDir())).toEqual([]);
  });
});

describe('TUS_EXPIRY_HOURS and TUS_DIR', () => {
  it('default to 24 hours and {data dir}/tus, accept fractions, and refuse nonsense', () => {
    expect(loadConfig({ PHOTOSYNC_DATA_DIR: '/d' }, '/')).toMatchObject({ tusExpiryMs: 24 * HOUR, tusDir: '/d/tus' });
    expect(loadConfig({ TUS_EXPIRY_HOURS: '0.5', TUS_DIR: '/mnt/t' }, '/')).toMatchObject({
      tusExpiryMs: HOUR / 2,
      tusDir: '/mnt/t',
    });
    for (const bad of ['0', '-1', 'soon']) {
      expect(() => loadConfig({ TUS_EXPIRY_HOURS: bad }, '/')).toThrow(ConfigError);
    }
  });
});
