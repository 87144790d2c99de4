/**
 * [Note: durable commit] SQLite runs in WAL mode with synchronous=NORMAL, so a commit only writes the WAL and
 * never blocks the event loop on fsync (better-sqlite3 is synchronous: an fsync inside a commit would stall
 * every upload in flight). Writes that are acknowledged to a client (a stored file, a chunk, a manifest, an
 * account) then await `flush()`, which fdatasyncs the WAL file on libuv's thread pool; commits that arrive while
 * a sync runs share the next one (GroupedFsync). fdatasync, as SQLite itself uses on the WAL: it makes the
 * bytes and the file size durable but skips the modification time, so once the WAL has reached its working
 * size (SQLite rewrites it from the start after each checkpoint) a flush costs no filesystem journal commit. Checkpoints sync the WAL before copying it and the database
 * after, so data moved out of the WAL is durable too. Net effect: power-cut durability of FULL before every
 * acknowledgement, without holding the main thread.
 */
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GroupedFsync, type SyncPath } from '@photosync/storage';

export class WalDurability {
  private readonly syncs: GroupedFsync;

  constructor(
    private readonly databasePath: string,
    private readonly fsync: SyncPath = datasyncPath,
  ) {
    this.syncs = new GroupedFsync(async (path) => {
      try {
        await this.fsync(path);
      } catch (error) {
        // No WAL file: everything was checkpointed into the database file, which the checkpoint synced.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    });
  }

  /** Resolves once every commit made before this call is on stable storage. */
  flush(): Promise<void> {
    return this.syncs.sync(`${this.databasePath}-wal`);
  }

  /** Make the database's directory entries (db, -wal, -shm) durable; once, after opening. */
  async syncDirectory(): Promise<void> {
    const handle = await open(dirname(this.databasePath), 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

async function datasyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
