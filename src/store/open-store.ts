import type { Config } from "../config.ts";
import type { Store } from "./port.ts";
import { openSqliteStore } from "./sqlite/sqlite-store.ts";

/** The store named by the configuration. */
export function openStore(database: Config["database"]): Promise<Store> {
  return openSqliteStore(database.file);
}
