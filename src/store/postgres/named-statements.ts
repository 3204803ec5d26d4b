import { createHash } from "node:crypto";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import { LRUCache } from "lru-cache";
import type pg from "pg";

/** Distinct SQL texts given a name: the store's queries fit many times. */
const NAMES = 500;

/** Reads with parameters: the queries run again and again, so worth a prepared statement each. */
const PREPARED = /^\s*select\b/i;

/**
 * The pool as Kysely's PostgreSQL dialect sees it, with every parameterized `select` sent as a named
 * prepared statement: each connection parses and plans it once, then only binds and executes it.
 * The name is a digest of the SQL text, so one text always has one name on every connection.
 * Writes, DDL and statements without parameters go through unnamed, as before.
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const names = new LRUCache<string, string>({ max: NAMES });
  const nameOf = (text: string): string => {
    let name = names.get(text);
    if (name === undefined) {
      name = `k${createHash("sha1").update(text).digest("hex")}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      const query = (text: unknown, values?: readonly unknown[]) => {
        if (typeof text === "string" && values !== undefined && values.length > 0 && PREPARED.test(text)) {
          return client.query({ name: nameOf(text), text, values: [...values] });
        }
        return client.query(text as string, values as unknown[]);
      };
      return {
        query: query as unknown as PostgresPoolClient["query"],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}
