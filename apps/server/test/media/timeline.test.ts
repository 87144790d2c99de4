// The timeline API over real files: newest capture first (EXIF time with offset, time without offset, file
// time), month buckets, cursor pages that stay consistent while files are added, and bad input answered 400.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineItem, TimelinePage } from '@photosync/protocol';
import { registerUser, startTestServer, type Session, type TestServer } from '../support/test-server.ts';
import { copy, FIXTURE_TIMEOUT_MS, makeJpeg, writeExif } from './support/fixtures.ts';
import { mediaIdle, uploadFile } from './support/media-server.ts';

async function page(app: FastifyInstance, session: Session, query = ''): Promise<TimelinePage> {
  const response = await app.inject({ url: `/api/v2/timeline${query}`, headers: session.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<TimelinePage>();
}

/** Follow cursors from `first` (or the start) to the end, `limit` items at a time. */
async function allPages(app: FastifyInstance, session: Session, limit: number, cursor?: string) {
  const pages: TimelineItem[][] = [];
  let next: string | null | undefined = cursor;
  for (let guard = 0; guard < 50; guard += 1) {
    const result = await page(app, session, `?limit=${limit}${next ? `&cursor=${encodeURIComponent(next)}` : ''}`);
    pages.push(result.items);
    next = result.nextCursor;
    if (next === null) return pages;
  }
  throw new Error('the timeline did not end');
}

const names = (items: TimelineItem[]) => items.map((item) => item.filename);

describe('timeline', () => {
  let dir: string;
  let server: TestServer;
  let session: Session;
  let base: string;

  /** A small JPEG with its own capture time (distinct bytes, so never a duplicate). */
  async function photo(name: string, date?: string, offset?: string): Promise<string> {
    const path = await copy(base, join(dir, name));
    if (date) await writeExif(path, { dateTimeOriginal: date, ...(offset ? { offset } : {}) });
    return path;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'photosync-timeline-'));
    base = await makeJpeg(dir, 'base.jpg', 320, 240);
    const files = [
      await photo('c-2020-no-offset.jpg', '2020:07:20 09:00:00'),
      await photo('a-2019.jpg', '2019:03:10 08:00:00', '+01:00'),
      await photo('d-2021.jpg', '2021:12:31 23:30:00', '+09:00'),
      await photo('b-2020.jpg', '2020:07:04 12:00:00', '-04:00'),
    ];
    server = await startTestServer();
    session = await registerUser(server.app);
    for (const file of files) await uploadFile(server, session, file);
    await uploadFile(server, session, base, 'e-no-exif.jpg');
    await mediaIdle(server);
  }, FIXTURE_TIMEOUT_MS);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await server.close();
  });

  it('lists newest capture first, with capture times as recorded', async () => {
    const { items, nextCursor } = await page(server.app, session);
    expect(nextCursor).toBeNull();
    expect(names(items)).toEqual(['e-no-exif.jpg', 'd-2021.jpg', 'c-2020-no-offset.jpg', 'b-2020.jpg', 'a-2019.jpg']);
    expect(items.slice(1).map((item) => item.capturedAt)).toEqual([
      '2021-12-31T23:30:00+09:00',
      '2020-07-20T09:00:00',
      '2020-07-04T12:00:00-04:00',
      '2019-03-10T08:00:00+01:00',
    ]);
    expect(items[1]).toMatchObject({ kind: 'photo', mime: 'image/jpeg', width: 320, height: 240, thumb: 'ready' });
    expect(items[1]?.durationMs).toBeNull();
  });

  it('counts files per capture month, newest first', async () => {
    const response = await server.app.inject({ url: '/api/v2/timeline/months', headers: session.headers });
    expect(response.statusCode).toBe(200);
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect(response.json()).toEqual({
      months: [
        { month: thisMonth, count: 1 },
        { month: '2021-12', count: 1 },
        { month: '2020-07', count: 2 },
        { month: '2019-03', count: 1 },
      ],
    });
  });

  it('pages with cursors; pages stay consistent when files are added between requests', async () => {
    const pages = await allPages(server.app, session, 2);
    expect(pages.map(names)).toEqual([
      ['e-no-exif.jpg', 'd-2021.jpg'],
      ['c-2020-no-offset.jpg', 'b-2020.jpg'],
      ['a-2019.jpg'],
    ]);
    const first = await page(server.app, session, '?limit=2');
    await uploadFile(server, session, await photo('f-2018.jpg', '2018:01:01 10:00:00', 'Z'));
    await uploadFile(server, session, await photo('g-2020.jpg', '2020:07:10 10:00:00', '+00:00'));
    await uploadFile(server, session, await photo('h-2035.jpg', '2035:01:01 10:00:00', '+00:00'));
    await mediaIdle(server);
    const rest = (await allPages(server.app, session, 2, first.nextCursor ?? undefined)).flat();
    // Nothing already seen comes back, nothing that was there is skipped; older additions appear in place.
    expect([...names(first.items), ...names(rest)]).toEqual([
      'e-no-exif.jpg',
      'd-2021.jpg',
      'c-2020-no-offset.jpg',
      'g-2020.jpg',
      'b-2020.jpg',
      'a-2019.jpg',
      'f-2018.jpg',
    ]);
    expect(names((await page(server.app, session)).items)[0]).toBe('h-2035.jpg');
  });

  it.each([
    ['?cursor=bm90LWEtY3Vyc29y', 'INVALID_CURSOR'],
    ['?limit=0', 'VALIDATION_ERROR'],
    ['?limit=501', 'VALIDATION_ERROR'],
  ])('answers %s with 400 %s', async (query, code) => {
    const response = await server.app.inject({ url: `/api/v2/timeline${query}`, headers: session.headers });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code });
  });

  it('needs authentication', async () => {
    for (const url of ['/api/v2/timeline', '/api/v2/timeline/months', '/api/v2/server/media-tools']) {
      expect((await server.app.inject({ url })).statusCode).toBe(401);
    }
  });
});
