/**
 * Opens the embedded SQLite database (better-sqlite3 through Kysely) and migrates it.
 * Durability before acknowledgement: `db.whenDurable()`, see [Note: durable commit] in ./wal-durability.ts.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type KyselyConfig, type MigrationProvider } from 'kysely';
import { migrations } from './migrations.ts';
import type { Database } from './schema.ts';
import { withStatementCache } from './statement-cache.ts';
import { WalDurability } from './wal-durability.ts';

/** The database handle every repository gets: Kysely plus "wait until my commits are on disk". */
export class Db extends Kysely<Database> {
  constructor(
    config: KyselyConfig,
    private readonly durability: WalDurability | undefined,
  ) {
    super(config);
  }

  /** Resolves once every commit made so far survives a power cut. Await it before acknowledging a write. */
  whenDurable(): Promise<void> {
    return this.durability?.flush() ?? Promise.resolve();
  }
}

export async function openDatabase(path: string): Promise<Db> {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const durability = new WalDurability(path);
  const db = new Db({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }, durability);
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error('Database migration failed', { cause: error });
  }
  await durability.syncDirectory();
  return db;
}

/** True for a UNIQUE violation, in either dialect, optionally on a given constraint/column list. */
export function isUniqueViolation(error: unknown, hint?: string): boolean {
  const err = error as { code?: string; message?: string } | undefined;
  const unique = err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === '23505';
  return unique && (hint === undefined || (err?.message ?? '').includes(hint));
}
