// Restarting mid-queue: the queue is persistent. A clean stop with jobs queued and one running, and a SIGKILL of
// the real server process while it works, both end with every file processed exactly once after a restart on
// the same data directory: one job per file, all done, thumbnails for all, no staging leftovers.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@photosync/client';
import { walk } from '../support/library.ts';
import { startServerProcess } from '../support/server-process.ts';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { FIXTURE_TIMEOUT_MS, jpegVariant, makeJpeg } from './support/fixtures.ts';
import { jobsOf, mediaIdle, uploadFile } from './support/media-server.ts';

const FILES = 12;

/** Job statuses as the database holds them right now (read-only, next to a running or dead server). */
function jobStatuses(dataDir: string): { status: string; attempts: number }[] {
  const db = new SQLite(join(dataDir, 'backup.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT status, attempts FROM jobs ORDER BY id').all() as { status: string; attempts: number }[];
  } finally {
    db.close();
  }
}

async function signIn(server: TestServer, email: string, deviceUuid: string): Promise<Session> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { email, password: 'correct-horse-1', device_uuid: deviceUuid },
  });
  expect(response.statusCode, response.body).toBe(200);
  const { token, userId } = response.json<{ token: string; userId: number }>();
  return {
    token,
    userId,
    deviceUuid,
    email,
    headers: { authorization: `Bearer ${token}`, 'x-device-uuid': deviceUuid },
  };
}

/** After the restart: every file has exactly one job, done, and its two thumbnails. */
async function expectAllProcessedOnce(server: TestServer, session: Session): Promise<void> {
  await mediaIdle(server);
  const jobs = await jobsOf(server, session);
  expect(jobs).toHaveLength(FILES);
  expect(new Set(jobs.map((job) => job.asset_id)).size).toBe(FILES);
  expect(jobs.map((job) => job.status)).toEqual(Array(FILES).fill('done'));
  const timeline = await server.app.inject({ url: '/api/v2/timeline', headers: session.headers });
  const items = timeline.json<{ items: { thumb: string }[] }>().items;
  expect(items.map((item) => item.thumb)).toEqual(Array(FILES).fill('ready'));
  const thumbs = (await walk(join(server.dataDir, 'thumbs'))).filter((path) => path.endsWith('.webp'));
  expect(thumbs).toHaveLength(FILES * 2);
  expect(await readdir(join(server.dataDir, 'thumbs', '.incoming')).catch(() => [])).toEqual([]);
}

describe('media queue across restarts', () => {
  let dir: string;
  const variants: string[] = [];
  const dataDirs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-restart-'));
    const base = await makeJpeg(dir, 'base.jpg', 2400, 1800);
    for (let i = 0; i < FILES; i += 1)
      variants.push(await jpegVariant(base, join(dir, `IMG_${1000 + i}.jpg`), `v${i}`));
  }, FIXTURE_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    for (const dataDir of dataDirs) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes after a clean stop with jobs still queued', { timeout: FIXTURE_TIMEOUT_MS }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'photosync-restart-clean-'));
    dataDirs.push(dataDir);
    let server = await startTestServer({ MEDIA_CONCURRENCY: '1' }, dataDir);
    const session = await registerUser(server.app);
    for (const file of variants) await uploadFile(server, session, file);
    await server.close();
    const stopped = jobStatuses(dataDir);
    expect(stopped).toHaveLength(FILES);
    expect(stopped.filter((job) => job.status === 'running')).toEqual([]); // aborted jobs went back to the queue
    expect(stopped.filter((job) => job.status === 'queued').length).toBeGreaterThan(0);

    server = await startTestServer({}, dataDir);
    try {
      const again = await signIn(server, session.email, session.deviceUuid);
      await expectAllProcessedOnce(server, again);
      // A clean stop gives the interrupted attempt back: nothing was tried twice.
      expect((await jobsOf(server, again)).map((job) => job.attempts)).toEqual(Array(FILES).fill(1));
    } finally {
      await server.close();
    }
  });

  it(
    'resumes after SIGKILL of the server process in the middle of the queue',
    { timeout: FIXTURE_TIMEOUT_MS },
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'photosync-restart-kill-'));
      dataDirs.push(dataDir);
      const child = await startServerProcess(dataDir, { MEDIA_CONCURRENCY: '1' });
      const credentials = { email: 'killed@example.com', password: 'correct-horse-1', deviceUuid: 'kill-device' };
      const client = createClient({ baseUrl: child.url });
      const { token } = await client.register(credentials);
      const authed = createClient({ baseUrl: child.url, auth: { token, deviceUuid: credentials.deviceUuid } });
      for (const file of variants) {
        await authed.upload(await readFile(file), { filename: file.split('/').pop() ?? 'x.jpg' });
      }
      // Kill as soon as the first job is done: the rest are queued or running.
      for (let poll = 0; poll < 1500 && !jobStatuses(dataDir).some((job) => job.status === 'done'); poll += 1) {
        await delay(10);
      }
      await child.kill('SIGKILL');
      const atKill = jobStatuses(dataDir);
      const done = atKill.filter((job) => job.status === 'done').length;
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(FILES);
      const interrupted = atKill.filter((job) => job.status === 'running').length;
      expect(interrupted).toBeLessThanOrEqual(1); // MEDIA_CONCURRENCY=1

      const server = await startTestServer({}, dataDir);
      try {
        const session = await signIn(server, credentials.email, credentials.deviceUuid);
        await expectAllProcessedOnce(server, session);
        const attempts = (await jobsOf(server, session)).map((job) => job.attempts);
        // The job running at the kill was tried once more; every other job exactly once.
        expect(attempts.filter((count) => count === 2)).toHaveLength(interrupted);
        expect(attempts.filter((count) => count === 1)).toHaveLength(FILES - interrupted);
      } finally {
        await server.close();
      }
    },
  );
});
