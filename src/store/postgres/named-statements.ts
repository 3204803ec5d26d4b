import { createHash } from "node:crypto";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import { LRUCache } from "lru-cache";
import type pg from "pg";
import { StoreUnavailableError } from "../errors.ts";
import { postgresFailure } from "./failures.ts";

/** Distinct SQL texts given a name: the store's queries fit many times. */
const NAMES = 500;

/** Reads with parameters: the queries run again and again, so worth a prepared statement each. */
const PREPARED = /^\s*select\b/i;

/**
 * The pool as Kysely's PostgreSQL dialect sees it, with every parameterized `select` sent as a named
 * prepared statement: each connection parses and plans it once, then only binds and executes it.
 * The name is a digest of the SQL text, so one text always has one name on every connection.
 * Writes, DDL and statements without parameters go through unnamed, as before.
 *
 * This is also where the driver's failures become the store's (see failures.ts): `pg` is called
 * with callbacks, so the one promise each call returns settles with the translated error and a
 * successful query costs no more than before.
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
  const watched = new WeakSet<pg.PoolClient>();
  const clientFor = (client: pg.PoolClient): PostgresPoolClient => {
    // A checked-out client whose connection drops fails its query and then emits 'error'; the
    // query's failure is what the store reports, and an unheard 'error' would end the process.
    if (!watched.has(client)) {
      client.on("error", () => undefined);
      watched.add(client);
    }
    // After a failure of the connection the client is not handed out again: the pool opens another.
    let broken = false;
    const query = (text: string, values?: readonly unknown[]): Promise<pg.QueryResult> =>
      new Promise((resolve, reject) => {
        const settle = (error: Error | null, result: pg.QueryResult): void => {
          if (error) {
            const failure = postgresFailure(error);
            if (failure instanceof StoreUnavailableError) broken = true;
            reject(failure);
          } else resolve(result);
        };
        if (values !== undefined && values.length > 0 && PREPARED.test(text)) {
          // biome-ignore lint/nursery/noFloatingPromises: with a callback, pg's query returns nothing.
          client.query({ name: nameOf(text), text, values: [...values] }, settle);
        } else {
          client.query(text, values === undefined ? [] : [...values], settle);
        }
      });
    return {
      query: query as unknown as PostgresPoolClient["query"],
      release: (destroy?: boolean) => client.release(destroy === true || broken),
    };
  };
  return {
    connect: (): Promise<PostgresPoolClient> =>
      new Promise((resolve, reject) => {
        pool.connect((error, client) => {
          if (error || !client) reject(postgresFailure(error));
          else resolve(clientFor(client));
        });
      }),
    end: () => pool.end(),
  };
}
