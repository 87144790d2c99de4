/**
 * A small dedicated filesystem for disk-full tests: a size-limited tmpfs mounted on a fresh directory (the
 * tests run as root, as CI does), and a filler that takes every free byte of it — the way a full disk looks
 * to the server. Must never: mount over anything but the fresh directory it was given, or leave it mounted.
 */
import { execFileSync } from 'node:child_process';
import { open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';

export function mountTmpfs(target: string, sizeMiB: number): () => void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', target], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `This test mounts a small tmpfs and must run as root (as CI does): mount -t tmpfs -o size=${sizeMiB}m tmpfs ${target}`,
      { cause: error },
    );
  }
  return () => execFileSync('umount', ['-l', target], { stdio: 'pipe' });
}

export async function freeBytes(path: string): Promise<number> {
  const info = await statfs(path);
  return info.bavail * info.bsize;
}

/**
 * Write `{dir}/{name}` until the filesystem refuses (ENOSPC). Returns its path; removing it frees the space.
 * `leaveBytes` are left free, for a test that wants a nearly full disk instead.
 */
export async function fillDisk(dir: string, name = 'filler.bin', leaveBytes = 0): Promise<string> {
  const path = join(dir, name);
  const file = await open(path, 'w');
  const block = Buffer.alloc(256 * 1024, 0x5a);
  try {
    for (;;) {
      const room = (await freeBytes(dir)) - leaveBytes;
      if (room <= 0) break;
      await file.write(block, 0, Math.min(block.length, room));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await file.close();
  }
  return path;
}

export async function unfill(path: string): Promise<void> {
  await rm(path, { force: true });
}
