/**
 * `GET /api/v2/server/status`: authenticated, shaped as the protocol schema says, and carrying the update
 * check's result. Also: the server checks at start without delaying start-up (a feed that never answers
 * does not hold `startServer`), and PHOTOSYNC_UPDATE_CHECK=off means no request at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerStatus } from '@photosync/protocol';
import { loadConfig, startServer } from '../../src/index.ts';
import { APP_VERSION } from '../../src/services/update/app-version.ts';
import { registerUser, startTestServer } from '../support/test-server.ts';
import { startReleaseServer, type ReleaseServer } from './support/release-server.ts';

let feed: ReleaseServer;
beforeAll(async () => {
  feed = await startReleaseServer();
});
afterAll(() => feed.close());

const NEWER = `${Number(APP_VERSION.split('.')[0]) + 1}.0.0`;

describe('GET /api/v2/server/status', () => {
  it('needs a signed-in account', async () => {
    const server = await startTestServer({ PHOTOSYNC_UPDATE_URL: feed.feedUrl });
    try {
      const response = await server.app.inject({ url: '/api/v2/server/status' });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: expect.any(String) as string });
    } finally {
      await server.close();
    }
  });

  it('reports version, uptime and the update check, before and after a check', async () => {
    feed.publish({ version: NEWER, notes: 'New things', assets: {} });
    const server = await startTestServer({ PHOTOSYNC_UPDATE_URL: feed.feedUrl, PHOTOSYNC_UPDATE_CHECK: 'on' });
    try {
      const session = await registerUser(server.app);
      const before = await server.app.inject({ url: '/api/v2/server/status', headers: session.headers });
      expect(before.statusCode).toBe(200);
      const parsed = ServerStatus.parse(before.json());
      expect(parsed).toMatchObject({ version: APP_VERSION, node: process.version, platform: process.platform });
      expect(parsed.uptimeSeconds).toBeGreaterThanOrEqual(0);
      expect(parsed.update).toMatchObject({ state: 'pending', currentVersion: APP_VERSION, latestVersion: null });

      await server.context.updates.check();
      const after = ServerStatus.parse(
        (await server.app.inject({ url: '/api/v2/server/status', headers: session.headers })).json(),
      );
      expect(after.update).toMatchObject({
        state: 'available',
        latestVersion: NEWER,
        releaseNotes: 'New things',
        updateCommand: 'npm run update',
        error: null,
      });
      expect(Date.parse(after.update.checkedAt ?? '')).not.toBeNaN();
    } finally {
      await server.close();
    }
  });

  it('says "off" when checks are disabled', async () => {
    const server = await startTestServer({ PHOTOSYNC_UPDATE_URL: feed.feedUrl, PHOTOSYNC_UPDATE_CHECK: 'off' });
    try {
      const session = await registerUser(server.app);
      const status = (await server.app.inject({ url: '/api/v2/server/status', headers: session.headers })).json<{
        update: { state: string };
      }>();
      expect(status.update.state).toBe('off');
    } finally {
      await server.close();
    }
  });
});

describe('the check at start', () => {
  async function start(env: Record<string, string>) {
    const dataDir = await mkdtemp(join(tmpdir(), 'photosync-status-'));
    const running = await startServer(
      loadConfig({ PHOTOSYNC_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env }),
      { handleSignals: false },
    );
    return {
      running,
      stop: async () => {
        await running.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }

  it('does not hold start-up while the feed does not answer', async () => {
    feed.publish({ version: NEWER, assets: {} }, { hangFeed: true });
    const asked = feed.nextFeedRequest();
    const { running, stop } = await start({ PHOTOSYNC_UPDATE_URL: feed.feedUrl, PHOTOSYNC_UPDATE_CHECK: 'on' });
    try {
      await asked; // the check was sent at start...
      const health = await fetch(`http://127.0.0.1:${running.port}/health`, { headers: { connection: 'close' } });
      expect(health.status).toBe(200); // ...and the server is up although it never got an answer
      expect(running.context.updates.status().state).toBe('pending');
    } finally {
      await stop();
    }
  });

  it('records the answer of the check made at start', async () => {
    feed.publish({ version: NEWER, assets: {} });
    const asked = feed.nextFeedRequest();
    const { running, stop } = await start({ PHOTOSYNC_UPDATE_URL: feed.feedUrl, PHOTOSYNC_UPDATE_CHECK: 'on' });
    try {
      await asked;
      const status = await running.context.updates.check(); // joins the check already in flight
      expect(status).toMatchObject({ state: 'available', latestVersion: NEWER });
      expect(status.nextCheckAt).not.toBeNull();
    } finally {
      await stop();
    }
  });

  it('sends nothing with PHOTOSYNC_UPDATE_CHECK=off', async () => {
    const before = feed.requests.length;
    const { running, stop } = await start({ PHOTOSYNC_UPDATE_URL: feed.feedUrl, PHOTOSYNC_UPDATE_CHECK: 'off' });
    await stop();
    expect(running.context.updates.status().state).toBe('off');
    expect(feed.requests.length).toBe(before);
  });
});
