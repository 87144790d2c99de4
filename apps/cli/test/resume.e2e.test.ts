// End to end: SIGKILL the CLI in the middle of a 200 MB upload, run it again: it continues the same tus
// upload from the server's offset. Every byte clients send goes through a counting proxy, so the total
// across both runs (headers included) is measured, not estimated.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupReport } from '@photosync/client';
import { jsonOf, runCli, serverWithAccount, signedInClient, spawnCli, type Account } from './support/cli.ts';
import { startCountingProxy, type CountingProxy } from './support/counting-proxy.ts';

const SIZE = 200 * 1024 * 1024;

let account: Account;
let proxy: CountingProxy;
let work: string;
let sha256: string;

/** 200 MB of random bytes behind an MP4 `ftyp` box, so the scanner takes it for a video. */
async function writeBigVideo(path: string): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    const head = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypisom\0\0\x02\0isomiso2')]);
    let written = 0;
    for (const piece of [head]) {
      await file.write(piece);
      hash.update(piece);
      written += piece.length;
    }
    while (written < SIZE) {
      const piece = randomBytes(Math.min(4 * 1024 * 1024, SIZE - written));
      await file.write(piece);
      hash.update(piece);
      written += piece.length;
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

beforeAll(async () => {
  account = await serverWithAccount();
  proxy = await startCountingProxy(account.url);
  work = await mkdtemp(join(tmpdir(), 'photosync-cli-resume-'));
  await mkdir(join(work, 'videos'));
  sha256 = await writeBigVideo(join(work, 'videos', 'holiday.mp4'));
});

afterAll(async () => {
  await proxy?.close();
  await account?.server.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
  await rm(account?.dataDir ?? '', { recursive: true, force: true });
});

describe('resuming after the CLI is killed', () => {
  it('continues from the last acknowledged byte; both runs together send < 1.2× the file', async () => {
    const stateDir = join(work, 'state');
    const args = ['backup', join(work, 'videos'), ...account.flags(stateDir, proxy.url), '--json'];
    const first = spawnCli(args, account.env);
    proxy.whenBytesIn(SIZE * 0.4, () => first.child.kill('SIGKILL'));
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const sentByKilledRun = proxy.bytesIn();
    expect(sentByKilledRun).toBeGreaterThanOrEqual(SIZE * 0.4);
    expect(sentByKilledRun).toBeLessThan(SIZE);
    const saved = JSON.parse(await readFile(join(stateDir, 'tus-uploads.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(saved)).toEqual([sha256]);

    const second = await runCli(args, account.env);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const report = jsonOf<BackupReport>(second);
    expect(report).toMatchObject({ filesUploaded: 1, filesHashedFromCache: 1, failed: [] });
    expect(report.bytesSent).toBeLessThan(SIZE * 0.7); // resumed, not started over
    const total = proxy.bytesIn();
    expect(total).toBeLessThan(1.2 * SIZE);
    console.log(
      `resume: killed run sent ${sentByKilledRun} B, second run reported ${report.bytesSent} B, ` +
        `proxy total ${total} B = ${(total / SIZE).toFixed(3)}× the file`,
    );

    const client = await signedInClient(account);
    const { files } = await client.listFiles();
    expect(files).toEqual([expect.objectContaining({ filename: 'holiday.mp4', size: SIZE })]);
    const head = await client.download('holiday.mp4', { range: { start: 0, end: 0 } });
    expect(head.headers.get('etag')).toBe(`"${sha256}"`);
    await head.body?.cancel();
    expect(JSON.parse(await readFile(join(stateDir, 'tus-uploads.json'), 'utf8'))).toEqual({});
  }, 180_000);
});
