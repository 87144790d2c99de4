/**
 * [Note: staging owners]: cleaning staging removes the leftovers of processes that are gone — and never the
 * files of another live process that shares the data directory (regression: a second server starting on a
 * shared data directory used to empty `.incoming/` under the first one's uploads).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FsBlobStore } from '../src/index.ts';
import { HEARTBEAT_MS, ownerTag, SELF, STALE_MS, StagingHeartbeat } from '../src/staging-owner.ts';

const UUID = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';

/** A process that stays alive until killed: a stand-in for another server. */
function otherProcess(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}

async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? -1;
}

describe('staging owners', () => {
  let root: string;
  let store: FsBlobStore;
  let alive: ChildProcess;
  const incoming = (): string => join(root, '.incoming');
  const leftover = async (owner: string, ageMs = 0): Promise<string> => {
    const name = `${owner}.${UUID}.part`;
    await mkdir(incoming(), { recursive: true });
    await writeFile(join(incoming(), name), 'half');
    const when = new Date(Date.now() - ageMs);
    await utimes(join(incoming(), name), when, when);
    return name;
  };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'photosync-owners-'));
    store = new FsBlobStore(root);
    alive = otherProcess();
  });
  afterAll(async () => {
    alive.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it("keeps a live process's staging file and removes it once its heartbeat is older than STALE_MS", async () => {
    const owner = ownerTag({ host: SELF.host, pid: alive.pid ?? -1, instance: 'aaaaaaaa' });
    const name = await leftover(owner);
    expect(await store.cleanStaging(0)).toBe(0);
    expect(await readdir(incoming())).toEqual([name]);
    const stale = new Date(Date.now() - STALE_MS - 1000);
    await utimes(join(incoming(), name), stale, stale);
    expect(await store.cleanStaging(0)).toBe(1);
    expect(await readdir(incoming())).toEqual([]);
  });

  it('removes at once the leftovers of a process that has exited, and of an earlier process with our pid', async () => {
    await leftover(ownerTag({ host: SELF.host, pid: await exitedPid(), instance: 'bbbbbbbb' }));
    await leftover(ownerTag({ ...SELF, instance: SELF.instance === 'cccccccc' ? 'dddddddd' : 'cccccccc' }));
    expect(await store.cleanStaging(0)).toBe(2);
    expect(await readdir(incoming())).toEqual([]);
  });

  it('keeps a fresh file of another host (it cannot be probed) and removes a stale one', async () => {
    const host = SELF.host === '00000000' ? '11111111' : '00000000';
    const fresh = await leftover(ownerTag({ host, pid: 1, instance: 'eeeeeeee' }));
    await writeFile(join(incoming(), `${host}-2-ffffffff.${UUID}.part`), 'stale');
    const old = new Date(Date.now() - STALE_MS - 1000);
    await utimes(join(incoming(), `${host}-2-ffffffff.${UUID}.part`), old, old);
    expect(await store.cleanStaging(0)).toBe(1);
    expect(await readdir(incoming())).toEqual([fresh]);
    await rm(join(incoming(), fresh));
  });

  it("removes this process's own and untagged (older version) leftovers, as before", async () => {
    await store.stage(Readable.from([Buffer.from('mine')]));
    await writeFile(join(incoming(), `${UUID}.part`), 'legacy');
    expect(await store.cleanStaging(0)).toBe(2);
    expect(await readdir(incoming())).toEqual([]);
  });

  it('refreshes the mtime of a staged file while it is in flight', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const path = join(root, 'in-flight.part');
      await writeFile(path, 'x');
      const old = new Date(Date.now() - STALE_MS);
      await utimes(path, old, old);
      const heartbeat = new StagingHeartbeat();
      heartbeat.track(path);
      await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
      await vi.waitFor(async () => expect((await stat(path)).mtimeMs).toBeGreaterThan(Date.now() - HEARTBEAT_MS));
      heartbeat.untrack(path);
    } finally {
      vi.useRealTimers();
    }
  });
});
