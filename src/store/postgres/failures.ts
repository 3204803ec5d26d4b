import { StoreTimeoutError, StoreUnavailableError } from "../errors.ts";

/** Socket errors (Node) and SQLSTATEs (PostgreSQL) after which the operation may be retried. */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "53300", // too_many_connections
  "40P01", // deadlock_detected
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000", // connection_exception
  "08001", // sqlclient_unable_to_establish_sqlconnection
  "08003", // connection_does_not_exist
  "08006", // connection_failure
]);

const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "57014", // query_canceled: statement_timeout or lock_timeout
]);

/** What `pg` and `pg-pool` say, without a code, when a connection fails or goes silent. */
const UNAVAILABLE_MESSAGE = /Connection terminated|Client has encountered a connection error/i;
const TIMEOUT_MESSAGE = /connection timeout|timeout exceeded when trying to connect|Query read timeout/i;

/**
 * The store's error for a failure of `pg` or the server that passes by itself; any other error
 * (a constraint, a bug in a statement) is returned as it is.
 */
export function postgresFailure(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (TIMEOUT_CODES.has(code)) return new StoreTimeoutError({ cause: error });
    if (UNAVAILABLE_CODES.has(code)) return new StoreUnavailableError({ cause: error });
  }
  if (TIMEOUT_MESSAGE.test(error.message)) return new StoreTimeoutError({ cause: error });
  if (UNAVAILABLE_MESSAGE.test(error.message)) return new StoreUnavailableError({ cause: error });
  return error;
}
