import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/db/statement-cache.ts';

function database(): SQLite.Database {
  const db = new SQLite(':memory:');
  db.exec('CREATE TABLE t (n INTEGER)');
  db.exec('INSERT INTO t VALUES (1), (2), (3)');
  return db;
}

describe('withStatementCache', () => {
  it('hands out the compiled statement again for the same SQL, and another one for other SQL', () => {
    const cached = withStatementCache(database());
    const first = cached.prepare('SELECT n FROM t WHERE n = ?');
    expect(cached.prepare('SELECT n FROM t WHERE n = ?')).toBe(first);
    expect(cached.prepare('SELECT n FROM t WHERE n > ?')).not.toBe(first);
    expect(first.all([2])).toEqual([{ n: 2 }]);
  });

  it('never hands out a statement that is still iterating', () => {
    const cached = withStatementCache(database());
    const outer = cached.prepare('SELECT n FROM t ORDER BY n');
    const seen: number[] = [];
    for (const row of outer.iterate([]) as Iterable<{ n: number }>) {
      const inner = cached.prepare('SELECT n FROM t ORDER BY n');
      expect(inner).not.toBe(outer);
      seen.push(row.n, (inner.all([]) as { n: number }[]).length);
    }
    expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const cached = withStatementCache(database(), 2);
    const one = cached.prepare('SELECT 1');
    const two = cached.prepare('SELECT 2');
    expect(cached.prepare('SELECT 1')).toBe(one);
    cached.prepare('SELECT 3');
    expect(cached.prepare('SELECT 1')).toBe(one);
    expect(cached.prepare('SELECT 2')).not.toBe(two);
  });
});
