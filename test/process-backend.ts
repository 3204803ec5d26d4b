import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";
import type { Store } from "../src/store/port.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { dropSchema, TEST_DATABASE_URL } from "./postgres.ts";

export interface ProcessBackend {
  /** Environment for server and CLI processes: nothing (SQLite in DATA_DIR) or a PostgreSQL schema. */
  env: Record<string, string>;
  /** The same store, opened from the test to look at what the processes wrote. */
  open(dataDir: string): Promise<Store>;
  cleanup(): Promise<void>;
}

async function run(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(text);
  await client.end();
}

/** The store that process-level suites run on: SQLite, or PostgreSQL with TEST_STORE=postgres. */
export async function processBackend(): Promise<ProcessBackend> {
  if (process.env.TEST_STORE !== "postgres") {
    return {
      env: {},
      open: (dataDir) => openSqliteStore(join(dataDir, "partner-credentials.sqlite")),
      cleanup: async () => undefined,
    };
  }
  const schema = `proc_${randomBytes(6).toString("hex")}`;
  await run(`create schema ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    env: { DATABASE_URL: url.toString() },
    open: () => openPostgresStore(TEST_DATABASE_URL, { schema, poolSize: 2 }),
    cleanup: () => dropSchema(schema),
  };
}
