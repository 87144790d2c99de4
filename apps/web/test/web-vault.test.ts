/**
 * StealthCloud in the browser: a file backed up by the real CLI (`photosync backup --mode stealthcloud`,
 * format v2 with its own vault password) is listed and decrypted in Chromium, byte for byte. A wrong
 * password is refused, and no request the page makes carries the vault password.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@photosync/client';
import { openBrowser, type Browser } from './support/browser.ts';
import { makeJpeg, type MediaFile } from './support/media-files.ts';
import { screenshotPath } from './support/screenshots.ts';
import { clientFor, PASSWORD, signInInPage, startWebServer, type WebServer } from './support/web-server.ts';

const EMAIL = 'vault@example.com';
const VAULT_PASSWORD = 'a-separate-vault-passphrase';
const CLI = fileURLToPath(new URL('../../cli/bin/photosync.js', import.meta.url));
const run = promisify(execFile);

let server: WebServer;
let browser: Browser;
let work: string;
let photo: MediaFile;
const requestBodies: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'photosync-web-vault-'));
  const folder = join(work, 'Pictures');
  await mkdir(folder);
  [server, photo] = await Promise.all([startWebServer(), makeJpeg(folder, 'secret-beach.jpg')]);
  await createClient({ baseUrl: server.url }).register({ email: EMAIL, password: PASSWORD });
  const args = ['backup', folder, '--mode', 'stealthcloud', '--server', server.url, '--email', EMAIL];
  await run(process.execPath, [CLI, ...args, '--state-dir', join(work, 'state'), '--json'], {
    env: { ...process.env, PHOTOSYNC_PASSWORD: PASSWORD, PHOTOSYNC_VAULT_PASSWORD: VAULT_PASSWORD, NO_COLOR: '1' },
  });
  browser = await openBrowser(server.url);
  browser.page.on('request', (request) => requestBodies.push(request.postData() ?? ''));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(work, { recursive: true, force: true });
});

describe('StealthCloud page', () => {
  it('holds nothing readable on the server: the file is only in the vault', async () => {
    const client = await clientFor(server.url, EMAIL, 'observer');
    expect((await client.listFiles()).total).toBe(0);
    expect((await client.vault.listManifests()).total).toBe(1);
    expect((await client.vault.getKeys()).keyAttributes).not.toBeNull();
  });

  it('refuses a wrong vault password', async () => {
    const { page } = browser;
    await signInInPage(page, server.url, EMAIL);
    await page.getByRole('link', { name: 'StealthCloud' }).click();
    await page.getByLabel('StealthCloud password').fill('not-the-vault-passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong StealthCloud password.' }).waitFor({ timeout: 60_000 });
  });

  it('unlocks with the vault password, lists the file and decrypts it byte for byte', async () => {
    const { page } = browser;
    await page.getByLabel('StealthCloud password').fill(VAULT_PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    const row = page.locator(`[data-vault-file="${photo.name}"]`);
    await row.waitFor({ timeout: 60_000 });
    await page.screenshot({ path: screenshotPath('vault-desktop') });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      row.getByRole('button', { name: `Download ${photo.name}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(photo.name);
    expect((await readFile(await download.path())).equals(photo.bytes)).toBe(true);
  });

  it('never sent the vault password, and talked to no other origin', () => {
    expect(requestBodies.some((body) => body.includes(VAULT_PASSWORD))).toBe(false);
    expect(requestBodies.some((body) => body.includes('not-the-vault-passphrase'))).toBe(false);
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
