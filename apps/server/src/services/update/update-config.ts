/**
 * Where the server looks for releases, and whether it looks at all. The project's repository is named
 * here and nowhere else; PHOTOSYNC_UPDATE_URL points the checker at any feed with the same JSON shape
 * (a mirror, a fork, a test server) and PHOTOSYNC_UPDATE_CHECK=off turns the background check off.
 */

/** The GitHub repository whose releases are the official release feed. */
export const RELEASE_REPOSITORY = { owner: 'viktorvishyn369', repo: 'PhotoSync' } as const;

/** GitHub's "latest release" endpoint (never a draft or a pre-release). */
export const DEFAULT_FEED_URL = `https://api.github.com/repos/${RELEASE_REPOSITORY.owner}/${RELEASE_REPOSITORY.repo}/releases/latest`;

export const CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface UpdateConfig {
  /** Background checks at start and every 24 h (PHOTOSYNC_UPDATE_CHECK, default on). */
  readonly checkEnabled: boolean;
  /** The release feed: a GitHub-style "latest release" JSON document. */
  readonly feedUrl: string;
  /** How long one feed request may take before it counts as failed. */
  readonly timeoutMs: number;
}

export class UpdateConfigError extends Error {
  override readonly name = 'ConfigError';
}

const OFF = new Set(['off', 'false', '0', 'no', 'disabled']);
const ON = new Set(['', 'on', 'true', '1', 'yes', 'enabled']);

/** Read PHOTOSYNC_UPDATE_CHECK and PHOTOSYNC_UPDATE_URL. */
export function loadUpdateConfig(env: NodeJS.ProcessEnv): UpdateConfig {
  const check = (env['PHOTOSYNC_UPDATE_CHECK'] ?? '').trim().toLowerCase();
  if (!OFF.has(check) && !ON.has(check)) {
    throw new UpdateConfigError(
      `PHOTOSYNC_UPDATE_CHECK: expected "on" or "off", got "${env['PHOTOSYNC_UPDATE_CHECK']}"`,
    );
  }
  const feedUrl = env['PHOTOSYNC_UPDATE_URL']?.trim() || DEFAULT_FEED_URL;
  let parsed: URL;
  try {
    parsed = new URL(feedUrl);
  } catch {
    throw new UpdateConfigError(`PHOTOSYNC_UPDATE_URL: not a URL: "${feedUrl}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UpdateConfigError(`PHOTOSYNC_UPDATE_URL: expected an http(s) URL, got "${feedUrl}"`);
  }
  return { checkEnabled: !OFF.has(check), feedUrl, timeoutMs: 15_000 };
}
