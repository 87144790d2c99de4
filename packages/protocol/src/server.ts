/**
 * Server status (ours, /api/v2/server/status): the version this server runs, how long it has been up, and
 * what the last update check found. Read by the web admin page and the tray; never carries secrets or paths.
 */
import { z } from 'zod';

/** What the last check of the release feed found. */
export const UpdateCheckState = z
  .enum(['off', 'pending', 'up-to-date', 'available', 'failed'])
  .describe(
    'off: checks disabled (PHOTOSYNC_UPDATE_CHECK=off); pending: no check finished yet; ' +
      'up-to-date / available: result of the last check; failed: the last check could not reach or read the feed',
  );
export type UpdateCheckState = z.infer<typeof UpdateCheckState>;

export const UpdateStatus = z.object({
  state: UpdateCheckState,
  currentVersion: z.string(),
  latestVersion: z.string().nullable().describe('Latest release in the feed (null before a successful check)'),
  releaseNotes: z.string().nullable(),
  releaseUrl: z.string().nullable().describe('Web page of the release'),
  publishedAt: z.string().nullable(),
  checkedAt: z.string().nullable().describe('When the last check finished (ISO 8601)'),
  nextCheckAt: z.string().nullable(),
  error: z.string().nullable().describe('Why the last check failed'),
  updateCommand: z.string().describe('What the administrator runs to install an available update'),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const ServerStatus = z.object({
  version: z.string().describe('The version this server runs (root package.json)'),
  startedAt: z.string(),
  uptimeSeconds: z.number().int().min(0),
  node: z.string().describe('Node.js version, e.g. v20.20.2'),
  platform: z.string().describe('Operating system: linux, darwin, win32'),
  lanUrls: z.array(z.string()).describe('Addresses a phone on the same network can use'),
  update: UpdateStatus,
});
export type ServerStatus = z.infer<typeof ServerStatus>;
