/**
 * The timeline with 50,000 files in Chromium: the page's timeline requests are answered by a synthetic
 * library (page.route), so the test measures the web app's windowing, not the server. Wherever the list is
 * scrolled, only a screenful of tiles exists in the DOM, and the tiles there are the right files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from 'playwright-core';
import { openBrowser, type Browser } from './support/browser.ts';
import { registerInPage, startWebServer, type WebServer } from './support/web-server.ts';

const TOTAL = 50_000;
const PER_MONTH = 1000;
/** A 1×1 PNG standing in for every thumbnail. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** Month of the n-th newest file: 1000 files per month, going back from December 2024. */
function monthOf(n: number): string {
  const back = Math.floor(n / PER_MONTH);
  const year = 2024 - Math.floor(back / 12);
  return `${year}-${String(12 - (back % 12)).padStart(2, '0')}`;
}

function fileAt(n: number) {
  return {
    filename: `IMG_${String(n).padStart(5, '0')}.JPG`,
    size: 1000,
    mime: 'image/jpeg',
    sha256: n.toString(16).padStart(64, '0'),
    kind: 'photo',
    capturedAt: `${monthOf(n)}-15T12:00:00Z`,
    width: 100,
    height: 100,
    durationMs: null,
    thumb: 'ready',
  };
}

async function answerTimeline(route: Route): Promise<void> {
  const url = new URL(route.request().url());
  if (url.pathname === '/api/v2/timeline/months') {
    const months = Array.from({ length: TOTAL / PER_MONTH }, (_, i) => ({
      month: monthOf(i * PER_MONTH),
      count: PER_MONTH,
    }));
    return route.fulfill({ json: { months } });
  }
  const from = Number(url.searchParams.get('cursor') ?? '0');
  const limit = Number(url.searchParams.get('limit') ?? '100');
  const to = Math.min(TOTAL, from + limit);
  const items = Array.from({ length: to - from }, (_, i) => fileAt(from + i));
  return route.fulfill({ json: { items, nextCursor: to < TOTAL ? String(to) : null } });
}

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer();
  browser = await openBrowser(server.url);
  await browser.page.route('**/api/v2/timeline**', answerTimeline);
  await browser.page.route('**/thumbnail?**', (route) => route.fulfill({ body: PIXEL, contentType: 'image/png' }));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function scrollTo(fraction: number): Promise<void> {
  await browser.page.locator('.virtual-scroller').evaluate((element, at) => {
    const scroller = element as unknown as { scrollTop: number; scrollHeight: number; clientHeight: number };
    scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * at;
  }, fraction);
}

describe('a timeline of 50,000 files', () => {
  it('keeps only a screenful of tiles in the DOM wherever it is scrolled', async () => {
    const { page } = browser;
    await registerInPage(page, server.url, 'many@example.com');
    await page.locator('.tile[data-filename="IMG_00000.JPG"]').waitFor();
    const height = await page
      .locator('.virtual-canvas')
      .evaluate((element) => (element as unknown as { scrollHeight: number }).scrollHeight);
    // 50 months of 1000 files in rows of 7 at 1280 px: the full height is laid out from the month counts.
    expect(height).toBeGreaterThan(1_000_000);

    for (const [fraction, expected] of [
      [0.5, 'IMG_2'],
      [1, 'IMG_49999.JPG'],
    ] as const) {
      await scrollTo(fraction);
      // The page fetches the pages up to the new position (bounded by the test timeout), then shows them.
      await page.locator(`.tile[data-filename^="${expected}"]`).first().waitFor({ timeout: 60_000 });
      const tiles = await page.locator('.tile').count();
      const rows = await page.locator('.virtual-row').count();
      expect(tiles).toBeGreaterThan(7);
      expect(tiles).toBeLessThanOrEqual(7 * 20);
      expect(rows).toBeLessThanOrEqual(25);
    }
    const last = await page.locator('.tile[data-filename="IMG_49999.JPG"]').getAttribute('aria-label');
    expect(last).toMatch(/^Photo IMG_49999\.JPG, .*2020/);
    expect(browser.errors).toEqual([]);
  });
});
