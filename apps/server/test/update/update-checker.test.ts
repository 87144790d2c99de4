/**
 * The background update check with fakes for its ports (fetch, clock, scheduler): checks once at start and
 * then every 24 hours, records and logs each result, never throws, shares one request between concurrent
 * callers, stops on stop(), and does nothing when turned off. Also the feed document's validation and
 * PHOTOSYNC_UPDATE_* parsing.
 */
import { describe, expect, it } from 'vitest';
import { parseRelease, ReleaseFeedError } from '../../src/services/update/release-feed.ts';
import { UpdateChecker, type Scheduler, type UpdateLogger } from '../../src/services/update/update-checker.ts';
import { DEFAULT_FEED_URL, loadUpdateConfig, UpdateConfigError } from '../../src/services/update/update-config.ts';

const DAY = 24 * 60 * 60 * 1000;
const config = { checkEnabled: true, feedUrl: 'http://feed.invalid/latest', timeoutMs: 1000 };
const feedJson = (tag: string, extra: object = {}) => ({
  tag_name: tag,
  body: `notes for ${tag}`,
  assets: [],
  ...extra,
});

function fakeFetch(answers: Array<() => Response>): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return {
    fetch: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      if (!answer) throw new Error('no answer');
      return answer();
    },
    calls: () => calls,
  };
}
const json =
  (body: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(body), { status });

function manualScheduler(): { schedule: Scheduler; tick: () => void; everyMs: () => number; cancelled: () => boolean } {
  let task: (() => void) | undefined;
  let interval = 0;
  let cancelled = false;
  return {
    schedule: (next, everyMs) => {
      task = next;
      interval = everyMs;
      return () => {
        cancelled = true;
      };
    },
    tick: () => task?.(),
    everyMs: () => interval,
    cancelled: () => cancelled,
  };
}

function recordingLogger(): UpdateLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (_details, message) => lines.push(`info ${message}`),
    warn: (_d, message) => lines.push(`warn ${message}`),
  };
}

describe('UpdateChecker', () => {
  it('checks at start and every 24 hours, logging each result', async () => {
    const feed = fakeFetch([json(feedJson('v0.1.0')), json(feedJson('v0.2.0'))]);
    const scheduler = manualScheduler();
    const log = recordingLogger();
    const checker = new UpdateChecker({
      config,
      currentVersion: '0.1.0',
      fetch: feed.fetch,
      schedule: scheduler.schedule,
    });
    checker.start(log);
    expect(scheduler.everyMs()).toBe(DAY);
    expect(await checker.check()).toMatchObject({ state: 'up-to-date', latestVersion: '0.1.0' });
    expect(feed.calls()).toBe(1); // check() joined the one started by start()

    scheduler.tick();
    expect(await checker.check()).toMatchObject({
      state: 'available',
      latestVersion: '0.2.0',
      releaseNotes: 'notes for v0.2.0',
    });
    expect(feed.calls()).toBe(2);
    expect(log.lines).toEqual([
      'info PhotoSync 0.1.0 is up to date',
      'warn PhotoSync 0.2.0 is available (this server runs 0.1.0). Install it with `npm run update`, then restart the server.',
    ]);
    checker.stop();
    expect(scheduler.cancelled()).toBe(true);
  });

  it('records failures instead of throwing, and recovers at the next check', async () => {
    const feed = fakeFetch([
      () => {
        throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      },
      json({ message: 'rate limited' }, 403),
      () => new Response('<html>', { status: 200 }),
      json(feedJson('not-a-version')),
      json(feedJson('v0.3.0')),
    ]);
    const checker = new UpdateChecker({ config, currentVersion: '0.2.0', fetch: feed.fetch, now: () => new Date(0) });
    expect(await checker.check()).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('ECONNREFUSED') as string,
    });
    expect((await checker.check()).error).toContain('answered 403');
    expect((await checker.check()).error).toContain('did not send JSON');
    expect((await checker.check()).error).toContain('tag is not a version');
    expect(await checker.check()).toMatchObject({
      state: 'available',
      error: null,
      checkedAt: '1970-01-01T00:00:00.000Z',
    });
  });

  it('does nothing at all when turned off', () => {
    const feed = fakeFetch([json(feedJson('v9.0.0'))]);
    const scheduler = manualScheduler();
    const checker = new UpdateChecker({
      config: { ...config, checkEnabled: false },
      currentVersion: '0.1.0',
      fetch: feed.fetch,
      schedule: scheduler.schedule,
    });
    checker.start(recordingLogger());
    expect(feed.calls()).toBe(0);
    expect(scheduler.everyMs()).toBe(0);
    expect(checker.status().state).toBe('off');
  });

  it('keeps its real timer from holding the process open', () => {
    const checker = new UpdateChecker({
      config,
      currentVersion: '0.1.0',
      fetch: fakeFetch([json(feedJson('v0.1.0'))]).fetch,
    });
    const handlesBefore = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    checker.start(recordingLogger());
    // An unref'd interval is not an active resource: the process may exit while it is scheduled.
    expect(process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length).toBe(handlesBefore);
    checker.stop();
  });
});

describe('release feed documents', () => {
  it('reads a GitHub release', () => {
    const release = parseRelease(
      feedJson('v1.2.0', {
        html_url: 'https://example.org/r/1.2.0',
        published_at: '2026-02-01T00:00:00Z',
        assets: [{ name: 'photosync-1.2.0.tar.gz', browser_download_url: 'https://example.org/a.tgz', size: 5 }],
      }),
    );
    expect(release).toMatchObject({ prerelease: false, url: 'https://example.org/r/1.2.0', notes: 'notes for v1.2.0' });
    expect(release.version.text).toBe('1.2.0');
    expect(release.assets).toEqual([{ name: 'photosync-1.2.0.tar.gz', url: 'https://example.org/a.tgz', size: 5 }]);
  });

  it('treats a release flagged as pre-release as one, and refuses drafts and garbage', () => {
    expect(parseRelease(feedJson('v2.0.0', { prerelease: true })).prerelease).toBe(true);
    expect(() => parseRelease(feedJson('v2.0.0', { draft: true }))).toThrow(ReleaseFeedError);
    expect(() => parseRelease({ message: 'Not Found' })).toThrow(ReleaseFeedError);
    expect(() => parseRelease(feedJson('v2.0.0', { assets: [{ name: 'x' }] }))).toThrow(ReleaseFeedError);
  });
});

describe('PHOTOSYNC_UPDATE_CHECK and PHOTOSYNC_UPDATE_URL', () => {
  it('defaults to checking the project releases', () => {
    expect(loadUpdateConfig({})).toMatchObject({ checkEnabled: true, feedUrl: DEFAULT_FEED_URL });
    expect(DEFAULT_FEED_URL).toMatch(/^https:\/\/api\.github\.com\/repos\/[^/]+\/[^/]+\/releases\/latest$/);
  });

  it('turns off and points elsewhere', () => {
    expect(
      loadUpdateConfig({ PHOTOSYNC_UPDATE_CHECK: 'off', PHOTOSYNC_UPDATE_URL: 'https://mirror.example/latest' }),
    ).toMatchObject({
      checkEnabled: false,
      feedUrl: 'https://mirror.example/latest',
    });
  });

  it.each([
    ['PHOTOSYNC_UPDATE_CHECK', 'sometimes'],
    ['PHOTOSYNC_UPDATE_URL', 'not a url'],
    ['PHOTOSYNC_UPDATE_URL', 'file:///etc/passwd'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => loadUpdateConfig({ [name]: value })).toThrow(new RegExp(name));
    expect(() => loadUpdateConfig({ [name]: value })).toThrow(UpdateConfigError);
  });
});
