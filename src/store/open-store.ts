import type { Config } from "../config.ts";
import type { Store } from "./port.ts";
import { openPostgresStore } from "./postgres/postgres-store.ts";
import { openSqliteStore } from "./sqlite/sqlite-store.ts";

/** The store named by the configuration. */
export function openStore(database: Config["database"]): Promise<Store> {
  return database.kind === "postgres"
    ? openPostgresStore(database.url)
    : openSqliteStore(database.file, { synchronous: database.synchronous });
}
