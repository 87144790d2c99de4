/**
 * The web app in Debian's Chromium against the real server process: register, upload a JPEG, a HEIC and an
 * MP4 through the page, see their thumbnails in the timeline, open the viewer (video seeks with Range
 * requests), download each file and compare its bytes with the original, delete one with confirmation.
 * The page never talks to another origin and logs no errors.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type Browser } from './support/browser.ts';
import type { ElementLike, ImageLike, VideoLike, WindowLike } from './support/dom.ts';
import { makeHeic, makeJpeg, makeMp4, makePng, type MediaFile } from './support/media-files.ts';
import { screenshotPath } from './support/screenshots.ts';
import { clientFor, registerInPage, startWebServer, type WebServer } from './support/web-server.ts';

const EMAIL = 'gallery@example.com';
let server: WebServer;
let browser: Browser;
let work: string;
let files: { jpeg: MediaFile; heic: MediaFile; mp4: MediaFile };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'photosync-web-media-'));
  [server, files] = await Promise.all([
    startWebServer(),
    (async () => ({ jpeg: await makeJpeg(work), heic: await makeHeic(work), mp4: await makeMp4(work) }))(),
  ]);
  browser = await openBrowser(server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

const tile = (name: string) => browser.page.locator(`.tile[data-filename="${name}"]`);

async function openViewer(name: string): Promise<void> {
  await tile(name).click();
  await browser.page.getByRole('dialog', { name: `Viewer: ${name}` }).waitFor();
}

describe('gallery in the browser', () => {
  it('registers and uploads a JPEG, a HEIC and an MP4 with per-file and total progress', async () => {
    const { page } = browser;
    await registerInPage(page, server.url, EMAIL);
    await page.getByRole('link', { name: 'Upload' }).click();
    const picker = page.locator('input[type=file]');
    expect(await picker.getAttribute('accept')).toBe('image/*,video/*');
    expect(await picker.getAttribute('multiple')).not.toBeNull();
    await picker.setInputFiles([files.jpeg.path, files.heic.path, files.mp4.path]);
    await page.locator('.upload-row[data-status=done]').nth(2).waitFor({ timeout: 60_000 });
    expect(await page.locator('.upload-row progress').count()).toBe(3);
    await expect.poll(() => page.locator('.total-progress').textContent()).toMatch(/^3 of 3 files/);
  });

  it('reports a file the library already has as already backed up, without sending it', async () => {
    const { page } = browser;
    await page.locator('input[type=file]').setInputFiles([files.jpeg.path]);
    const row = page.locator('.upload-row[data-status=duplicate]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.locator('.upload-status').textContent()).toBe('Already backed up');
    const client = await clientFor(server.url, EMAIL, 'observer-1');
    expect((await client.listFiles()).total).toBe(3);
  });

  it('shows the three thumbnails in the timeline, grouped by capture month', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Photos' }).click();
    // The media pipeline makes the thumbnails in the background; the page re-checks pending ones itself.
    for (const file of Object.values(files)) {
      await tile(file.name).locator('img').waitFor({ timeout: 60_000 });
    }
    const thumbnails = page.locator('.tile img');
    await expect
      .poll(() =>
        thumbnails.evaluateAll((images) => (images as unknown as ImageLike[]).every((image) => image.complete)),
      )
      .toBe(true);
    const sizes = await thumbnails.evaluateAll((images) =>
      (images as unknown as ImageLike[]).map((image) => Math.max(image.naturalWidth, image.naturalHeight)),
    );
    expect(sizes).toHaveLength(3);
    for (const size of sizes) expect(size).toBeGreaterThan(0);
    expect(await page.getByRole('heading', { name: /July 2023/ }).count()).toBe(1);
    await page.screenshot({ path: screenshotPath('timeline-desktop') });

    // The same page on a phone-sized screen: three tiles across, nothing wider than the screen.
    await page.setViewportSize({ width: 375, height: 760 });
    await expect
      .poll(() =>
        page
          .locator('.tile-row')
          .first()
          .evaluate((row) => (row as unknown as ElementLike).clientWidth),
      )
      .toBeLessThanOrEqual(375);
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as WindowLike).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('timeline-375-photos') });
    await openViewer(files.jpeg.name);
    await page.screenshot({ path: screenshotPath('viewer-375') });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('opens the viewer with the preview, closes it with Escape and returns focus', async () => {
    const { page } = browser;
    await openViewer(files.jpeg.name);
    const preview = page.locator('.viewer-stage img');
    await expect
      .poll(() => preview.evaluate((image) => (image as unknown as ImageLike).naturalWidth))
      .toBeGreaterThan(256);
    await page.screenshot({ path: screenshotPath('viewer-desktop') });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const focused = await page.evaluate(() =>
      (globalThis as unknown as WindowLike).document.activeElement?.getAttribute('data-filename'),
    );
    expect(focused).toBe(files.jpeg.name);
  });

  it('plays the video and seeks with Range requests', async () => {
    const { page } = browser;
    const ranges: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes(`/api/files/${files.mp4.name}`)) ranges.push(response.status());
    });
    await openViewer(files.mp4.name);
    const state = await page.locator('video').evaluate(async (element) => {
      const video = element as unknown as VideoLike;
      const once = (type: string) =>
        new Promise<void>((resolve) => video.addEventListener(type, resolve, { once: true }));
      if (video.readyState < 1) await once('loadedmetadata');
      video.currentTime = 2.5;
      await once('seeked');
      return { duration: video.duration, time: video.currentTime };
    });
    expect(state.duration).toBeCloseTo(3, 0);
    expect(state.time).toBeCloseTo(2.5, 1);
    expect(ranges).toContain(206);
    await page.keyboard.press('Escape');
  });

  it('downloads each file with exactly the bytes that were uploaded', async () => {
    const { page } = browser;
    for (const file of Object.values(files)) {
      await openViewer(file.name);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(file.name);
      const saved = await readFile(await download.path());
      expect(saved.equals(file.bytes), file.name).toBe(true);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }
  });

  it('deletes a file only after confirmation', async () => {
    const { page } = browser;
    await openViewer(files.heic.name);
    await page.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this file?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    const client = await clientFor(server.url, EMAIL, 'observer-2');
    expect((await client.listFiles()).total).toBe(3);

    await page.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').first().waitFor({ state: 'detached' });
    await tile(files.heic.name).waitFor({ state: 'detached' });
    const names = (await client.listFiles()).files.map((entry) => entry.filename).sort();
    expect(names).toEqual([files.jpeg.name, files.mp4.name].sort());
  });

  it('uploads a file dropped on the drop area', async () => {
    const { page } = browser;
    const png = await makePng(work);
    await page.getByRole('link', { name: 'Upload' }).click();
    const dataTransfer = await page.evaluateHandle(
      ({ bytes, name }) => {
        const web = globalThis as unknown as {
          DataTransfer: new () => { items: { add(file: unknown): void } };
          File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
        };
        const transfer = new web.DataTransfer();
        transfer.items.add(new web.File([new Uint8Array(bytes)], name, { type: 'image/png' }));
        return transfer;
      },
      { bytes: [...png.bytes], name: png.name },
    );
    await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer });
    await page.locator(`.upload-row[data-file="${png.name}"][data-status=done]`).waitFor({ timeout: 30_000 });
    const client = await clientFor(server.url, EMAIL, 'observer-3');
    expect((await client.listFiles()).files.map((entry) => entry.filename)).toContain(png.name);
    const stored = await client.download(png.name);
    expect(Buffer.from(await stored.arrayBuffer()).equals(png.bytes)).toBe(true);
  });

  it('made no request to another origin and logged no errors', () => {
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
