/**
 * The real server as a process (`apps/server/src/main.ts`, as `npm start` runs it after building the web app)
 * on a fresh data directory, plus page helpers shared by the browser tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createClient, type PhotoSyncClient } from '@photosync/client';
import { startServerProcess, type ServerProcess } from '../../../server/test/support/server-process.ts';

export const PASSWORD = 'correct-horse-battery-1';

export interface WebServer {
  readonly url: string;
  readonly process: ServerProcess;
  stop(): Promise<void>;
}

export async function startWebServer(): Promise<WebServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'photosync-web-e2e-'));
  const server = await startServerProcess(dataDir, { AUTH_RATE_LIMIT_PER_IP: '1000' });
  return {
    url: server.url,
    process: server,
    stop: async () => {
      await server.kill('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Create an account through the sign-in page and wait until the app shows its navigation. */
export async function registerInPage(page: Page, url: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export async function signInInPage(page: Page, url: string, email: string, password = PASSWORD): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** A client signed in as `email` on its own device, to check from outside what the page did. */
export async function clientFor(
  url: string,
  email: string,
  deviceUuid: string,
  password = PASSWORD,
): Promise<PhotoSyncClient> {
  const { token } = await createClient({ baseUrl: url }).login({ email, password, deviceUuid });
  return createClient({ baseUrl: url, auth: { token, deviceUuid } });
}
