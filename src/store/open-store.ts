import type { Config } from "../config.ts";
import type { Store } from "./port.ts";

/**
 * The store named by the configuration. Each driver is loaded only when it is the one configured:
 * `pg` alone adds about 16 MB to the resident memory of a process that never uses it.
 */
export async function openStore(database: Config["database"]): Promise<Store> {
  if (database.kind === "postgres") {
    const { openPostgresStore } = await import("./postgres/postgres-store.ts");
    return openPostgresStore(database.url);
  }
  const { openSqliteStore } = await import("./sqlite/sqlite-store.ts");
  return openSqliteStore(database.file, { synchronous: database.synchronous });
}
