import type SQLite from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";
import { LRUCache } from "lru-cache";
import type { DirectReader } from "../kysely/compiled-query.ts";
import { sqliteFailure } from "./failures.ts";

/** Distinct SQL texts kept prepared: the store's queries, whatever their parameters, fit many times. */
const STATEMENTS = 500;

/** A prepared statement and the face Kysely sees of it. */
interface Prepared {
  statement: SQLite.Statement;
  guarded: SqliteStatement;
}

/** Turns one raw row (an array of values) into the object Kysely expects. */
type RowBuilder = (values: unknown[]) => Record<string, unknown>;

/**
 * A builder of the object literal `{ "col": values[0], … }` for a statement's columns. better-sqlite3
 * builds an object row property by property through the engine's slow path; reading the row as an
 * array and building the object with one literal (one shape shared by every row) reads a page of
 * credentials in half the time. Column names are quoted with JSON.stringify, so any name is a plain
 * key; a name that would set the prototype is not (the caller keeps the driver's own objects).
 */
function rowBuilder(columns: readonly string[]): RowBuilder | undefined {
  if (columns.includes("__proto__")) return undefined;
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(", ");
  return new Function("values", `return { ${fields} };`) as RowBuilder;
}

/**
 * The statement as Kysely sees it, with the driver's failures turned into the store's (see
 * failures.ts). better-sqlite3 runs synchronously, so this is a try/catch around each call. A
 * statement that returns rows reads them raw and builds each object in one step (see rowBuilder).
 */
function guarded(statement: SQLite.Statement): SqliteStatement {
  const build = statement.reader ? rowBuilder(statement.columns().map((column) => column.name)) : undefined;
  if (build) statement.raw(true);
  return {
    reader: statement.reader,
    all(parameters) {
      try {
        if (!build) return statement.all(parameters);
        const rows = statement.all(parameters) as unknown[][];
        const objects = new Array<Record<string, unknown>>(rows.length);
        for (let i = 0; i < rows.length; i++) objects[i] = build(rows[i] as unknown[]);
        return objects;
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
        const rows = statement.iterate(parameters);
        return build ? built(rows as IterableIterator<unknown[]>, build) : rows;
      } catch (error) {
        throw sqliteFailure(error);
      }
    },
  };
}

function* built(rows: IterableIterator<unknown[]>, build: RowBuilder): IterableIterator<unknown> {
  for (const row of rows) yield build(row);
}

/**
 * The database as Kysely's SQLite dialect sees it, with every statement prepared once and reused
 * (better-sqlite3 would otherwise compile the same SQL again on every call). A statement still
 * being iterated is busy: the same SQL run meanwhile gets a statement of its own. Failures of the
 * driver leave it as the store's own errors.
 */
export function withStatementCache(database: SQLite.Database): SqliteDatabase & { readNow: DirectReader } {
  const statements = new LRUCache<string, Prepared>({ max: STATEMENTS });
  const prepare = (sql: string): Prepared => {
    try {
      const statement = database.prepare(sql);
      return { statement, guarded: guarded(statement) };
    } catch (error) {
      throw sqliteFailure(error);
    }
  };
  const statementFor = (sql: string): SqliteStatement => {
    const cached = statements.get(sql);
    if (cached && !cached.statement.busy) return cached.guarded;
    const prepared = prepare(sql);
    if (!cached) statements.set(sql, prepared);
    return prepared.guarded;
  };
  return {
    close: () => database.close(),
    prepare: statementFor,
    readNow(sql, parameters) {
      // Inside a transaction (another request's, between two of its awaits) a read on this one
      // connection would see what that transaction has not committed: those go through Kysely,
      // which waits for the connection. Outside one, a synchronous read sees committed rows only.
      if (database.inTransaction) return undefined;
      const statement = statementFor(sql);
      return statement.reader ? (statement.all(parameters) as unknown[]) : undefined;
    },
  };
}
