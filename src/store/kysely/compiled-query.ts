import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Database } from "./tables.ts";

/** Stands for the i-th argument while a query is compiled; replaced by the argument when it runs. */
class Argument {
  readonly index: number;
  constructor(index: number) {
    this.index = index;
  }
}

/**
 * Runs a read at once on the store's own connection, bypassing Kysely's queue for it, or answers
 * undefined when it may not (SQLite inside an open transaction, or a statement that writes); the
 * query then runs through Kysely. Only the SQLite store has one: better-sqlite3 runs synchronously.
 */
export type DirectReader = (sql: string, parameters: readonly unknown[]) => unknown[] | undefined;

/** Runs a compiled query on a database or a transaction, with these arguments. */
export type CompiledRunner<Args extends readonly unknown[], Row> = (
  on: Kysely<Database>,
  ...args: Args
) => Promise<Row[]>;

/**
 * A query built and compiled once, for the queries every request or every flushed use runs: Kysely
 * otherwise builds the query tree, freezes it and compiles it to SQL again on every call, which
 * costs more than the indexed read itself. `build` receives stand-ins for its arguments and must
 * pass each only as a value (a `where` operand, a `set` value, an interpolated `sql` value): the
 * compiled parameters are then the stand-ins, and each run puts the real arguments in their place.
 * The SQL text is the same on every run, so the statement caches below (better-sqlite3 statements,
 * PostgreSQL named statements) reuse one prepared statement. With `direct`, a read run on the store
 * itself goes straight to the driver when it can (see DirectReader): no connection queue, no
 * promise per step.
 */
export function compiledQuery<Args extends readonly unknown[], Row>(
  arity: Args["length"],
  build: (...args: Args) => Compilable<Row>,
  direct?: { db: Kysely<Database>; read: DirectReader },
): CompiledRunner<Args, Row> {
  let compiled: CompiledQuery<Row> | undefined;
  let slots: number[] = [];
  return async (on, ...args) => {
    if (!compiled) {
      const standIns = Array.from({ length: arity }, (_, i) => new Argument(i)) as unknown as Args;
      compiled = build(...standIns).compile();
      slots = compiled.parameters.map((p) => (p instanceof Argument ? p.index : -1));
      for (let i = 0; i < arity; i++) {
        if (!slots.includes(i))
          throw new Error(`compiledQuery: argument ${i} is not a parameter of ${compiled.sql}`);
      }
    }
    const fixed = compiled.parameters;
    const parameters = new Array<unknown>(fixed.length);
    for (let i = 0; i < fixed.length; i++) {
      const slot = slots[i] as number;
      parameters[i] = slot >= 0 ? args[slot] : fixed[i];
    }
    // Run on the store itself (not a transaction): read at once where the store can.
    if (direct && on === direct.db) {
      const rows = direct.read(compiled.sql, parameters);
      if (rows) return rows as Row[];
    }
    const result = await on.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
