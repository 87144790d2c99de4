/**
 * Fetches a release's archive and proves it is ours before anything is unpacked: the checksum file must be
 * signed by the release key shipped with this app, must name exactly the expected archive, and the
 * archive's SHA-256 must equal the signed one. Missing signature = refused, like a wrong one.
 */
import { join } from 'node:path';
import { downloadFile, downloadText } from './release-download.ts';
import { releaseAssetNames, type Release, type ReleaseAsset } from './release-feed.ts';
import { parseChecksumText, ReleaseVerificationError, verifyChecksumSignature } from './release-signature.ts';

export interface VerifiedDownloadOptions {
  readonly publicKeyPem: string;
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

/** Largest archive we accept (sources without node_modules are a few MB). */
const MAX_ARCHIVE_BYTES = 512 * 2 ** 20;

/** Download the release archive into `dir` and verify it; returns the archive's path. */
export async function downloadVerifiedArchive(
  release: Release,
  dir: string,
  options: VerifiedDownloadOptions,
): Promise<{ path: string; sha256: string }> {
  const names = releaseAssetNames(release.version.text);
  const asset = (name: string, what: string): ReleaseAsset => {
    const found = release.assets.find((candidate) => candidate.name === name);
    if (!found)
      throw new ReleaseVerificationError(`release ${release.version.text} has no ${what} (${name}); refusing it`);
    return found;
  };
  const archive = asset(names.archive, 'archive');
  const checksumAsset = asset(names.checksum, 'checksum file');
  const signatureAsset = asset(names.signature, 'signature: it is unsigned');
  const small = { userAgent: options.userAgent, timeoutMs: 60_000, maxBytes: 64 * 1024, ...fetchOf(options) };

  const checksum = await downloadText(checksumAsset.url, small);
  const signature = await downloadText(signatureAsset.url, small);
  verifyChecksumSignature(checksum, signature, options.publicKeyPem);
  const expected = parseChecksumText(checksum);
  if (expected.fileName !== names.archive) {
    throw new ReleaseVerificationError(`the signed checksum is for ${expected.fileName}, not ${names.archive}`);
  }

  const path = join(dir, names.archive);
  const { sha256 } = await downloadFile(archive.url, path, {
    userAgent: options.userAgent,
    timeoutMs: options.timeoutMs,
    maxBytes: MAX_ARCHIVE_BYTES,
    ...fetchOf(options),
  });
  if (sha256 !== expected.sha256) {
    throw new ReleaseVerificationError(
      `the downloaded archive's SHA-256 (${sha256}) differs from the signed checksum (${expected.sha256}): ` +
        'it was altered or damaged on the way',
    );
  }
  return { path, sha256 };
}

function fetchOf(options: VerifiedDownloadOptions): { fetch?: typeof fetch } {
  return options.fetch ? { fetch: options.fetch } : {};
}
