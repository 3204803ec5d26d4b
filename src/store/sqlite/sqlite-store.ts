import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { kyselyStore } from "../kysely/kysely-store.ts";
import { migrateToLatest } from "../kysely/migrations.ts";
import type { Database } from "../kysely/tables.ts";
import type { Store } from "../port.ts";
import { withStatementCache } from "./statement-cache.ts";
import { startWalCheckpointer } from "./wal-checkpointer.ts";

export type SqliteSynchronous = "FULL" | "NORMAL";

/**
 * Opens (creating if needed) the embedded SQLite store in WAL mode and migrates it. `FULL` (the
 * default) syncs the WAL on every commit, so an acknowledged change survives a power loss;
 * `NORMAL` survives a process crash but may lose the last commits on power loss.
 */
export async function openSqliteStore(
  file: string,
  options: {
    synchronous?: SqliteSynchronous;
    /** Checkpoint in a worker thread of its own (see wal-checkpointer.ts); default true. */
    checkpointer?: boolean;
  } = {},
): Promise<Store> {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma("journal_mode = WAL");
  database.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  const checkpointer =
    file === ":memory:" || options.checkpointer === false ? null : startWalCheckpointer(database, file);
  const statements = withStatementCache(database);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  await migrateToLatest(db as Kysely<unknown>);
  return kyselyStore(db, { afterClose: async () => checkpointer?.stop(), readNow: statements.readNow });
}
