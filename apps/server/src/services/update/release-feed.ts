/**
 * Reads the release feed: a GitHub-style "latest release" JSON document (`tag_name`, `body`, `assets[]`
 * with `browser_download_url`). Validates it, turns the tag into a version and names the three assets an
 * update needs. Never follows anything but the URLs the feed itself lists; never installs anything.
 */
import { z } from 'zod';
import { parseVersion, type SemVer } from './semver.ts';

const FeedAsset = z.object({
  name: z.string().min(1),
  browser_download_url: z.string().url(),
  size: z.number().int().min(0).optional(),
});

const FeedRelease = z.object({
  tag_name: z.string().min(1),
  name: z.string().nullish(),
  body: z.string().nullish(),
  html_url: z.string().nullish(),
  published_at: z.string().nullish(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
  assets: z.array(FeedAsset).default([]),
});

export interface ReleaseAsset {
  readonly name: string;
  readonly url: string;
  readonly size: number | undefined;
}

export interface Release {
  readonly version: SemVer;
  readonly prerelease: boolean;
  readonly notes: string;
  readonly url: string | null;
  readonly publishedAt: string | null;
  readonly assets: readonly ReleaseAsset[];
}

/** The feed could not be reached, answered an error, or sent something that is not a release. */
export class ReleaseFeedError extends Error {
  override readonly name = 'ReleaseFeedError';
}

export interface FeedRequest {
  readonly url: string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

/** Fetch and validate the latest release. */
export async function fetchLatestRelease(request: FeedRequest): Promise<Release> {
  const doFetch = request.fetch ?? fetch;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(request.url, {
      headers: { accept: 'application/vnd.github+json, application/json', 'user-agent': request.userAgent },
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new ReleaseFeedError(`cannot reach the release feed ${request.url}: ${reason(error)}`);
  }
  if (!response.ok) throw new ReleaseFeedError(`the release feed answered ${response.status} (${request.url})`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ReleaseFeedError(`the release feed did not send JSON (${request.url})`);
  }
  return parseRelease(json);
}

/** Validate one feed document (exported for tests and for feeds read from a file). */
export function parseRelease(json: unknown): Release {
  const parsed = FeedRelease.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReleaseFeedError(`the release feed is not a release: ${issue?.path.join('.') ?? ''} ${issue?.message}`);
  }
  const release = parsed.data;
  if (release.draft) throw new ReleaseFeedError('the release feed returned a draft release');
  let version: SemVer;
  try {
    version = parseVersion(release.tag_name);
  } catch (error) {
    throw new ReleaseFeedError(`the latest release's tag is not a version: ${reason(error)}`);
  }
  return {
    version,
    // Flagged in the feed or by its version: either way it is not offered to people on releases.
    prerelease: release.prerelease === true || version.prerelease.length > 0,
    notes: (release.body ?? '').trim(),
    url: release.html_url ?? null,
    publishedAt: release.published_at ?? null,
    assets: release.assets.map((asset) => ({ name: asset.name, url: asset.browser_download_url, size: asset.size })),
  };
}

/** File names of a release's assets; the release script produces exactly these. */
export function releaseAssetNames(version: string): { archive: string; checksum: string; signature: string } {
  const archive = `photosync-${version}.tar.gz`;
  return { archive, checksum: `${archive}.sha256`, signature: `${archive}.sha256.sig` };
}

function reason(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (error.name === 'TimeoutError') return 'timed out';
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
