/**
 * Release signatures and the release script: a built release verifies with the key it ships; any change to
 * the checksum line, a signature by another key or a malformed signature is refused; the release script
 * refuses to sign with a key whose public half the release does not carry; archives hold one folder,
 * photosync-<version>/, without node_modules or data.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRelease } from '../../../../scripts/release.ts';
import { listArchive } from '../../src/services/update/app-archive.ts';
import {
  checksumText,
  parseChecksumText,
  ReleaseVerificationError,
  sha256File,
  signChecksum,
  verifyChecksumSignature,
} from '../../src/services/update/release-signature.ts';
import { makeSourceTree, testKeys, type TestKeys } from './support/release-fixtures.ts';

let work: string;
let keys: TestKeys;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'photosync-sign-'));
  keys = testKeys();
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('checksum signatures', () => {
  const line = checksumText('a'.repeat(64), 'photosync-1.0.0.tar.gz');

  it('verify with the matching public key', () => {
    expect(() =>
      verifyChecksumSignature(line, signChecksum(line, keys.privateKeyPem), keys.publicKeyPem),
    ).not.toThrow();
  });

  it('refuse a changed line, another key, or a malformed signature', () => {
    const signature = signChecksum(line, keys.privateKeyPem);
    const other = line.replace('aaaa', 'aaab');
    expect(() => verifyChecksumSignature(other, signature, keys.publicKeyPem)).toThrow(ReleaseVerificationError);
    expect(() =>
      verifyChecksumSignature(line, signChecksum(line, testKeys().privateKeyPem), keys.publicKeyPem),
    ).toThrow(/does not match/);
    expect(() => verifyChecksumSignature(line, 'c2hvcnQ=', keys.publicKeyPem)).toThrow(/malformed/);
    expect(() => verifyChecksumSignature(line, '', keys.publicKeyPem)).toThrow(/malformed/);
  });

  it('parse only a single well-formed checksum line', () => {
    expect(parseChecksumText(line)).toEqual({ sha256: 'a'.repeat(64), fileName: 'photosync-1.0.0.tar.gz' });
    expect(() => parseChecksumText(`${line}${line}`)).toThrow(ReleaseVerificationError);
    expect(() => parseChecksumText(`${'a'.repeat(64)}  ../evil.tar.gz\n`)).toThrow(ReleaseVerificationError);
  });

  it('ships a valid Ed25519 public key in scripts/release-public-key.pem', async () => {
    const pem = await readFile(new URL('../../../../scripts/release-public-key.pem', import.meta.url), 'utf8');
    const { createPublicKey } = await import('node:crypto');
    expect(createPublicKey(pem).asymmetricKeyType).toBe('ed25519');
  });
});

describe('scripts/release.ts', () => {
  it('builds an archive, its checksum and a signature that verifies with the shipped key', async () => {
    const source = await makeSourceTree(join(work, 'src'), '3.1.4', keys);
    await writeFile(join(source, '.env'), 'JWT_SECRET=never-shipped');
    const built = await buildRelease({
      sourceDir: source,
      outDir: join(work, 'out'),
      privateKeyPem: keys.privateKeyPem,
    });
    const checksum = await readFile(built.checksum, 'utf8');
    expect(parseChecksumText(checksum)).toEqual({
      sha256: await sha256File(built.archive),
      fileName: 'photosync-3.1.4.tar.gz',
    });
    verifyChecksumSignature(checksum, await readFile(built.signature, 'utf8'), keys.publicKeyPem);
    const entries = await listArchive(built.archive);
    expect(entries.every((entry) => entry.startsWith('photosync-3.1.4/'))).toBe(true);
    expect(entries).toContain('photosync-3.1.4/scripts/install-server.sh');
    expect(entries.some((entry) => /node_modules|\/\.git\/|\/\.env$|^photosync-3\.1\.4\/data\//.test(entry))).toBe(
      false,
    );
  });

  it('refuses to sign with a key the release does not ship', async () => {
    const source = await makeSourceTree(join(work, 'src-other'), '3.1.5', keys);
    await expect(
      buildRelease({ sourceDir: source, outDir: join(work, 'out-other'), privateKeyPem: testKeys().privateKeyPem }),
    ).rejects.toThrow(/does not match/);
  });
});
