/**
 * better-sqlite3 compiles SQL in prepare(), and Kysely's SQLite driver calls prepare() for every query it
 * runs, so the few statements every upload runs (token holder, duplicate and name lookups, the insert) were
 * compiled again on each request. This hands Kysely a database whose prepare() returns the statement already
 * compiled for the same SQL text (at most `capacity`, least recently used dropped first). SQLite recompiles a
 * cached statement by itself after a schema change.
 * Must never: return a statement compiled from other SQL text, or one that is still iterating (busy) — that
 * one is left alone and a fresh statement is prepared.
 */
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

const DEFAULT_CAPACITY = 256;

export function withStatementCache(database: SqliteDatabase, capacity = DEFAULT_CAPACITY): KyselySqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare: (sql) => {
      const cached = statements.get(sql);
      statements.delete(sql);
      const statement = cached && !cached.busy ? cached : database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value ?? sql);
      return statement;
    },
  };
}
