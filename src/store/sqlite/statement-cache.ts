import type SQLite from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";
import { LRUCache } from "lru-cache";
import { sqliteFailure } from "./failures.ts";

/** Distinct SQL texts kept prepared: the store's queries, whatever their parameters, fit many times. */
const STATEMENTS = 500;

/** A prepared statement and the face Kysely sees of it. */
interface Prepared {
  statement: SQLite.Statement;
  guarded: SqliteStatement;
}

/**
 * The statement as Kysely sees it, with the driver's failures turned into the store's (see
 * failures.ts). better-sqlite3 runs synchronously, so this is a try/catch around each call.
 */
function guarded(statement: SQLite.Statement): SqliteStatement {
  return {
    reader: statement.reader,
    all(parameters) {
      try {
        return statement.all(parameters);
      } catch (error) {
        throw sqliteFailure(error);
      }
    },
    run(parameters) {
      try {
        return statement.run(parameters);
      } catch (error) {
        throw sqliteFailure(error);
      }
    },
    iterate(parameters) {
      try {
        return statement.iterate(parameters);
      } catch (error) {
        throw sqliteFailure(error);
      }
    },
  };
}

/**
 * The database as Kysely's SQLite dialect sees it, with every statement prepared once and reused
 * (better-sqlite3 would otherwise compile the same SQL again on every call). A statement still
 * being iterated is busy: the same SQL run meanwhile gets a statement of its own. Failures of the
 * driver leave it as the store's own errors.
 */
export function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const statements = new LRUCache<string, Prepared>({ max: STATEMENTS });
  const prepare = (sql: string): Prepared => {
    try {
      const statement = database.prepare(sql);
      return { statement, guarded: guarded(statement) };
    } catch (error) {
      throw sqliteFailure(error);
    }
  };
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.statement.busy) return cached.guarded;
      const prepared = prepare(sql);
      if (!cached) statements.set(sql, prepared);
      return prepared.guarded;
    },
  };
}
