// End to end: the real CLI against a real server process. Real JPEG/PNG/HEIC/MP4 files are backed up and
// restored byte for byte; an unchanged tree sends nothing; a new file sends just itself; a name clash keeps
// both files; identical content in two places is stored once.
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupReport, RestoreReport } from '@photosync/client';
import { jsonOf, runCli, serverWithAccount, signedInClient, spawnCli, type Account } from './support/cli.ts';
import { ensureMediaTools, makeHeic, makeJpeg, makeMp4, makePng } from './support/media.ts';

const sha = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

let account: Account;
let work: string;
let photos: string;
let stateDir: string;

beforeAll(async () => {
  ensureMediaTools();
  account = await serverWithAccount();
  work = await mkdtemp(join(tmpdir(), 'photosync-cli-backup-'));
  photos = join(work, 'Pictures');
  stateDir = join(work, 'state');
  await mkdir(join(photos, 'phone'), { recursive: true });
  makeJpeg(join(photos, 'beach.jpg'));
  makePng(join(photos, 'drawing.png'));
  makeHeic(join(photos, 'phone', 'IMG_0001.HEIC'), work);
  makeMp4(join(photos, 'phone', 'clip.mp4'));
}, 180_000);

afterAll(async () => {
  await account?.server.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });
  await rm(account?.dataDir ?? '', { recursive: true, force: true });
});

const backup = (...extra: string[]) =>
  runCli(['backup', photos, ...account.flags(stateDir), '--json', ...extra], account.env);

describe('photosync backup / restore (plain library)', () => {
  it('backs up real JPEG, PNG, HEIC and MP4 files and restores them byte for byte', async () => {
    const first = await backup();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = jsonOf<BackupReport>(first);
    const sizes = await Promise.all(
      ['beach.jpg', 'drawing.png', 'phone/IMG_0001.HEIC', 'phone/clip.mp4'].map(
        async (f) => (await stat(join(photos, f))).size,
      ),
    );
    expect(report).toMatchObject({
      mode: 'plain',
      filesScanned: 4,
      filesUploaded: 4,
      filesAlreadyStored: 0,
      failed: [],
    });
    expect(report.bytesSent).toBe(sizes.reduce((a, b) => a + b, 0));

    const restored = join(work, 'restored');
    const restore = await runCli(['restore', restored, ...account.flags(stateDir), '--json'], account.env);
    expect(restore.code).toBe(0);
    expect(jsonOf<RestoreReport>(restore)).toMatchObject({ filesRestored: 4, filesRenamed: 0, failed: [] });
    expect((await readdir(restored)).sort()).toEqual(['IMG_0001.HEIC', 'beach.jpg', 'clip.mp4', 'drawing.png']);
    for (const [name, original] of [
      ['beach.jpg', 'beach.jpg'],
      ['drawing.png', 'drawing.png'],
      ['IMG_0001.HEIC', 'phone/IMG_0001.HEIC'],
      ['clip.mp4', 'phone/clip.mp4'],
    ] as const)
      expect(await readFile(join(restored, name))).toEqual(await readFile(join(photos, original)));

    const again = jsonOf<RestoreReport>(
      await runCli(['restore', restored, ...account.flags(stateDir), '--json'], account.env),
    );
    expect(again).toMatchObject({ filesRestored: 0, filesSkippedIdentical: 4, bytesWritten: 0 });
  });

  it('sends 0 bytes for an unchanged tree, then only a file that was added', async () => {
    const second = jsonOf<BackupReport>(await backup());
    expect(second).toMatchObject({ filesScanned: 4, filesHashedFromCache: 4, filesAlreadyStored: 4, filesUploaded: 0 });
    expect(second.bytesSent).toBe(0);

    makeJpeg(join(photos, 'phone', 'new.jpg'), 11);
    const third = jsonOf<BackupReport>(await backup());
    expect(third).toMatchObject({ filesScanned: 5, filesHashedFromCache: 4, filesUploaded: 1 });
    expect(third.bytesSent).toBe((await stat(join(photos, 'phone', 'new.jpg'))).size);
  });

  it('keeps both files of a name clash and stores identical content in two places once', async () => {
    const client = await signedInClient(account);
    const before = await client.libraryStats();
    await mkdir(join(photos, 'camera'));
    makeJpeg(join(photos, 'camera', 'beach.jpg'), 5); // same name as ./beach.jpg, different content
    await cp(join(photos, 'drawing.png'), join(photos, 'camera', 'drawing-copy.png')); // known content
    await mkdir(join(photos, 'usb'));
    makePng(join(photos, 'usb', 'scan.png'), 9);
    await cp(join(photos, 'usb', 'scan.png'), join(photos, 'camera', 'scan.png')); // new content, twice

    const report = jsonOf<BackupReport>(await backup());
    expect(report).toMatchObject({ filesScanned: 9, filesUploaded: 2, filesAlreadyStored: 7, failed: [] });
    const after = await client.libraryStats();
    expect(after.count).toBe(before.count + 2);
    const { files } = await client.listFiles();
    const names = files.map((f) => f.filename);
    expect(names).toEqual(expect.arrayContaining(['beach.jpg', 'beach (1).jpg', 'scan.png']));
    expect(names).not.toContain('drawing-copy.png');
    const clash = await client.download('beach (1).jpg');
    expect(clash.headers.get('etag')).toBe(`"${await sha(join(photos, 'camera', 'beach.jpg'))}"`);
  });

  it('--watch backs up again when a file is added, until Ctrl-C', async () => {
    const watching = spawnCli(['backup', photos, ...account.flags(stateDir), '--json', '--watch'], account.env);
    const reports: BackupReport[] = [];
    let buffer = '';
    const nextReport = (): Promise<BackupReport> =>
      new Promise((resolve) => {
        const onData = (data: Buffer): void => {
          buffer += data.toString();
          // Each run prints one pretty-printed JSON document, ending with a closing brace on its own line.
          const end = buffer.indexOf('\n}\n');
          if (end < 0) return;
          reports.push(JSON.parse(buffer.slice(0, end + 2)) as BackupReport);
          buffer = buffer.slice(end + 3);
          watching.child.stdout?.off('data', onData);
          resolve(reports.at(-1)!);
        };
        watching.child.stdout?.on('data', onData);
      });
    expect(await nextReport()).toMatchObject({ filesUploaded: 0, bytesSent: 0 });
    const next = nextReport();
    makePng(join(photos, 'usb', 'watched.png'), 21);
    expect(await next).toMatchObject({
      filesUploaded: 1,
      bytesSent: (await stat(join(photos, 'usb', 'watched.png'))).size,
    });
    watching.child.kill('SIGINT');
    const ended = await watching.done;
    expect(ended.code).toBe(0);
  });

  it('explains itself: --help has examples, a bad flag value is refused', async () => {
    const [badMode, ...helps] = await Promise.all([
      runCli(['backup', photos, '--mode', 'ftp']),
      ...['backup', 'restore', 'dedupe'].map((command) => runCli([command, '--help'])),
    ]);
    for (const help of helps) {
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
    expect(badMode.code).toBe(1);
    expect(badMode.stderr).toContain("argument 'ftp' is invalid");
  });
});
