import { StoreTimeoutError } from "../errors.ts";

/** SQLITE_BUSY and its extended codes: another connection held the lock past `busy_timeout`. */
const BUSY = /^SQLITE_BUSY(_|$)/;

/**
 * The store's error for a failure of SQLite that passes by itself; any other error (a constraint,
 * a full disk, a bug in a statement) is returned as it is.
 */
export function sqliteFailure(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && BUSY.test(code) ? new StoreTimeoutError({ cause: error }) : error;
}
