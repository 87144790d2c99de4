/**
 * What is really on a data directory, read straight from the disk and the SQLite index (read-only, beside
 * a running server), and every way the two disagree: library rows ↔ files, vault chunk rows ↔ chunk files,
 * account totals, staging leftovers and resumable uploads. Every stored file is hashed.
 * Must never: write to the data directory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
}

export interface DiskState {
  /** account uuid → stored name → content, from the disk (hashed). */
  readonly library: Map<string, Map<string, StoredFile>>;
  /** account uuid → chunk ids on disk whose bytes hash to their name. */
  readonly chunks: Map<string, Set<string>>;
  /** Resumable uploads in progress: id → bytes received and declared length. */
  readonly tus: Map<string, { received: number; length: number | undefined; path: string }>;
  /** Every disagreement found (empty when the index matches the disk). */
  readonly problems: string[];
  /** How many stored files were hashed. */
  readonly hashed: number;
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const part of createReadStream(path)) hash.update(part as Buffer);
  return hash.digest('hex');
}

const entries = (dir: string): Promise<string[]> => readdir(dir).catch(() => [] as string[]);

interface Rows {
  accounts: { id: number; uuid: string; asset_count: number; asset_bytes: number; vault_bytes: number }[];
  assets: { account_id: number; filename: string; sha256: string; size: number }[];
  chunks: { account_id: number; chunk_id: string; size: number }[];
}

function readIndex(dbPath: string): Rows {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    return db.transaction(() => ({
      accounts: db
        .prepare('SELECT id, uuid, asset_count, asset_bytes, vault_bytes FROM accounts WHERE deleted_at IS NULL')
        .all() as Rows['accounts'],
      assets: db.prepare('SELECT account_id, filename, sha256, size FROM assets').all() as Rows['assets'],
      chunks: db.prepare('SELECT account_id, chunk_id, size FROM vault_chunks').all() as Rows['chunks'],
    }))();
  } finally {
    db.close();
  }
}

export async function readDiskState(dataDir: string): Promise<DiskState> {
  const rows = readIndex(join(dataDir, 'backup.db'));
  const problems: string[] = [];
  const library = new Map<string, Map<string, StoredFile>>();
  const chunks = new Map<string, Set<string>>();
  let hashed = 0;
  for (const store of ['uploads', 'vault', 'thumbs']) {
    const left = await entries(join(dataDir, store, '.incoming'));
    if (left.length > 0) problems.push(`${store}/.incoming holds ${left.length} leftover(s): ${left.join(', ')}`);
  }
  for (const account of rows.accounts) {
    const assets = rows.assets.filter((row) => row.account_id === account.id);
    const files = new Map<string, StoredFile>();
    const dir = join(dataDir, 'uploads', account.uuid);
    for (const name of await entries(dir)) {
      const path = join(dir, name);
      files.set(name, { sha256: await hashFile(path), size: (await stat(path)).size });
      hashed += 1;
    }
    library.set(account.uuid, files);
    for (const row of assets) {
      const file = files.get(row.filename);
      if (!file) problems.push(`library row without file: ${account.uuid}/${row.filename}`);
      else if (file.sha256 !== row.sha256 || file.size !== row.size)
        problems.push(`library file differs from its row: ${account.uuid}/${row.filename}`);
    }
    const named = new Set(assets.map((row) => row.filename));
    for (const name of files.keys()) {
      if (!named.has(name)) problems.push(`library file without row: ${account.uuid}/${name}`);
    }
    const bytes = assets.reduce((sum, row) => sum + row.size, 0);
    if (account.asset_count !== assets.length || account.asset_bytes !== bytes)
      problems.push(
        `library totals of ${account.uuid} are ${account.asset_count}/${account.asset_bytes}, rows say ${assets.length}/${bytes}`,
      );

    const chunkRows = new Map(
      rows.chunks.filter((row) => row.account_id === account.id).map((r) => [r.chunk_id, r.size]),
    );
    const onDisk = new Set<string>();
    for (const fan of await entries(join(dataDir, 'vault', account.uuid))) {
      for (const id of await entries(join(dataDir, 'vault', account.uuid, fan))) {
        const path = join(dataDir, 'vault', account.uuid, fan, id);
        const [sha, info] = await Promise.all([hashFile(path), stat(path)]);
        hashed += 1;
        if (sha !== id) problems.push(`vault file whose bytes are not its id (half-written?): ${account.uuid}/${id}`);
        else onDisk.add(id);
        if (!chunkRows.has(id)) problems.push(`vault chunk file without row: ${account.uuid}/${id}`);
        else if (chunkRows.get(id) !== info.size) problems.push(`vault chunk size differs from its row: ${id}`);
      }
    }
    chunks.set(account.uuid, onDisk);
    for (const id of chunkRows.keys()) {
      if (!onDisk.has(id)) problems.push(`vault chunk row without a valid file: ${account.uuid}/${id}`);
    }
    const vaultBytes = [...chunkRows.values()].reduce((sum, size) => sum + size, 0);
    if (account.vault_bytes !== vaultBytes)
      problems.push(`vault usage of ${account.uuid} is ${account.vault_bytes}, chunk rows add up to ${vaultBytes}`);
  }
  return { library, chunks, tus: await readTus(join(dataDir, 'tus'), problems), problems, hashed };
}

async function readTus(dir: string, problems: string[]): Promise<DiskState['tus']> {
  const uploads: DiskState['tus'] = new Map();
  const names = await entries(dir);
  for (const name of names) {
    if (name.endsWith('.json')) continue;
    if (!names.includes(`${name}.json`)) {
      problems.push(`tus upload bytes without a record: ${name}`);
      continue;
    }
    const record = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as { size?: number };
    const received = (await stat(join(dir, name))).size;
    if (record.size !== undefined && received >= record.size)
      problems.push(`complete tus upload left behind (should have been stored at start): ${name}`);
    uploads.set(name, { received, length: record.size, path: join(dir, name) });
  }
  return uploads;
}
