/**
 * Opens the embedded SQLite database (better-sqlite3 through Kysely) and migrates it.
 * [Note: durable commit] WAL with synchronous=FULL: a committed row survives a power cut, which the upload
 * path relies on before it acknowledges a file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import { migrations } from './migrations.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export async function openDatabase(path: string): Promise<Db> {
  mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error('Database migration failed', { cause: error });
  }
  return db;
}

/** True for a UNIQUE violation, in either dialect, optionally on a given constraint/column list. */
export function isUniqueViolation(error: unknown, hint?: string): boolean {
  const err = error as { code?: string; message?: string } | undefined;
  const unique = err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === '23505';
  return unique && (hint === undefined || (err?.message ?? '').includes(hint));
}
