import type SQLite from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";
import { LRUCache } from "lru-cache";

/** Distinct SQL texts kept prepared: the store's queries, whatever their parameters, fit many times. */
const STATEMENTS = 500;

/**
 * The database as Kysely's SQLite dialect sees it, with every statement prepared once and reused
 * (better-sqlite3 would otherwise compile the same SQL again on every call). A statement still
 * being iterated is busy: the same SQL run meanwhile gets a statement of its own.
 */
export function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new LRUCache<string, SQLite.Statement>({ max: STATEMENTS });
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.busy) return cached;
      const statement = database.prepare(sql);
      if (!cached) statements.set(sql, statement);
      return statement;
    },
  };
}
