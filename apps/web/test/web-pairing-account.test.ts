/**
 * Administration and account pages in Chromium against the real server: the pairing QR code decodes (with a
 * real QR decoder) to the server address and a one-time code that signs a simulated phone in exactly once;
 * the phone shows up among the devices and can be revoked; a password change signs other sessions out;
 * the server version is shown. Plus a keyboard-only sign-in and the pages at 375 px wide.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createClient } from '@photosync/client';
import { parsePairingUri } from '@photosync/protocol';
import { openBrowser, type Browser } from './support/browser.ts';
import type { WindowLike } from './support/dom.ts';
import { decodeQr } from './support/qr.ts';
import { screenshotPath } from './support/screenshots.ts';
import {
  clientFor,
  PASSWORD,
  registerInPage,
  signInInPage,
  startWebServer,
  type WebServer,
} from './support/web-server.ts';

const ADMIN = 'admin@example.com';
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  server = await startWebServer();
  browser = await openBrowser(server.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('phone pairing from the admin page', () => {
  let phoneSession: { token: string; deviceUuid: string };

  it('shows the server version from package.json', async () => {
    const { page } = browser;
    await registerInPage(page, server.url, ADMIN);
    await page.getByRole('link', { name: 'Admin' }).click();
    const root = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    await expect.poll(() => page.getByTestId('server-version').textContent()).toBe(root.version);
  });

  it('draws a QR code that decodes to the server address and a one-time code', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Show pairing code' }).click();
    const qr = page.locator('canvas.qr');
    await qr.waitFor();
    const decoded = await decodeQr(await qr.screenshot());
    expect(decoded).toBe(await qr.getAttribute('data-payload'));
    const pairing = parsePairingUri(decoded);
    expect(pairing?.serverUrls).toContain(server.url);
    expect(pairing?.code).toBe(await page.getByTestId('pairing-code').textContent());
    await page.screenshot({ path: screenshotPath('admin-desktop') });

    const phone = createClient({ baseUrl: pairing?.serverUrls[0] ?? '' });
    const session = await phone.pairing.pair({
      code: pairing?.code ?? '',
      deviceUuid: 'phone-1',
      deviceName: 'Test phone',
    });
    expect(session.email).toBe(ADMIN);
    phoneSession = { token: session.token, deviceUuid: 'phone-1' };
    const signedIn = createClient({ baseUrl: server.url, auth: phoneSession });
    expect((await signedIn.listFiles()).total).toBe(0);

    const again = await rejection(phone.pairing.pair({ code: pairing?.code ?? '', deviceUuid: 'phone-2' }));
    expect(again.status).toBe(401);
    expect(again.code).toBe('PAIRING_CODE_USED');
  });

  it('lists the paired phone among the devices and revokes it after confirmation', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Account' }).click();
    const phoneRow = page.locator('.device-list li', { hasText: 'Test phone' });
    await phoneRow.waitFor();
    expect(await page.locator('.device-list li', { hasText: 'This browser' }).count()).toBe(1);
    await phoneRow.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog', { name: 'Revoke this device?' }).getByRole('button', { name: 'Revoke' }).click();
    await phoneRow.waitFor({ state: 'detached' });
    const revoked = await rejection(createClient({ baseUrl: server.url, auth: phoneSession }).listFiles());
    expect(revoked.status).toBe(403);
  });

  it('changes the password: other sessions are signed out, this tab carries on', async () => {
    const { page } = browser;
    const other = await clientFor(server.url, ADMIN, 'laptop-1');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('a-brand-new-password-2');
    await page.getByLabel('New password again').fill('a-brand-new-password-2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed. Every other device has been signed out.').waitFor();
    expect((await rejection(other.listFiles())).status).toBe(403);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.locator('td', { hasText: ADMIN }).waitFor();
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});

describe('keyboard and small screens', () => {
  it('signs in with the keyboard alone and shows where the focus is', async () => {
    const keyboard = await openBrowser(server.url);
    try {
      const { page } = keyboard;
      await page.goto(server.url);
      await page.keyboard.press('Tab');
      const focusedLabel = () =>
        page.evaluate(() => {
          const active = (globalThis as unknown as WindowLike).document.activeElement;
          return active?.getAttribute('type') ?? active?.getAttribute('href') ?? null;
        });
      // Tab until the email field has the focus (it may already have it).
      for (let presses = 0; presses < 5 && (await focusedLabel()) !== 'email'; presses += 1)
        await page.keyboard.press('Tab');
      expect(await focusedLabel()).toBe('email');
      await page.keyboard.type(ADMIN);
      await page.keyboard.press('Tab');
      expect(await focusedLabel()).toBe('password');
      await page.keyboard.type('a-brand-new-password-2');
      await page.keyboard.press('Enter');
      await page.getByRole('navigation', { name: 'Main' }).waitFor();

      for (let presses = 0; presses < 10 && (await focusedLabel()) !== '/upload'; presses += 1)
        await page.keyboard.press('Tab');
      expect(await focusedLabel()).toBe('/upload');
      const outline = await page.evaluate(() => {
        const active = (globalThis as unknown as { document: { activeElement: object } }).document.activeElement;
        const style = (
          globalThis as unknown as { getComputedStyle(e: object): { outlineStyle: string; outlineWidth: string } }
        ).getComputedStyle(active);
        return `${style.outlineStyle} ${style.outlineWidth}`;
      });
      expect(outline).toMatch(/^solid [1-9]/);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Upload' }).waitFor();
      expect(keyboard.errors).toEqual([]);
    } finally {
      await keyboard.close();
    }
  });

  it('fits every page into 375 px without sideways scrolling', async () => {
    const phone = await openBrowser(server.url, { width: 375, height: 760 });
    try {
      const { page } = phone;
      await signInInPage(page, server.url, ADMIN, 'a-brand-new-password-2');
      for (const [link, heading] of [
        ['Upload', 'Upload'],
        ['StealthCloud', 'StealthCloud'],
        ['Account', 'Account'],
        ['Admin', 'Administration'],
      ] as const) {
        await page.getByRole('link', { name: link }).click();
        await page.getByRole('heading', { name: heading, exact: true }).waitFor();
        const overflow = await page.evaluate(() => {
          const root = (globalThis as unknown as WindowLike).document.documentElement;
          return root.scrollWidth - root.clientWidth;
        });
        expect(overflow, link).toBeLessThanOrEqual(0);
      }
      await page.getByRole('button', { name: 'Show pairing code' }).click();
      await page.locator('canvas.qr').waitFor();
      await page.screenshot({ path: screenshotPath('admin-375'), fullPage: true });
      await page.getByRole('link', { name: 'Photos' }).click();
      await page.screenshot({ path: screenshotPath('timeline-375') });

      // Signing out ends the session on the server too, not only in this tab.
      const session = await page.evaluate(() =>
        (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem(
          'photosync.session',
        ),
      );
      const { token, deviceUuid } = JSON.parse(session ?? '{}') as { token: string; deviceUuid: string };
      const before = createClient({ baseUrl: server.url, auth: { token, deviceUuid } });
      expect((await before.listFiles()).total).toBe(0);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect((await rejection(before.listFiles())).status).toBe(403);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
