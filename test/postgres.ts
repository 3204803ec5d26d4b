import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Store } from "../src/store/port.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { SCHEMA_CHANGE_LOCK } from "../src/store/postgres/schema-change-lock.ts";

/** Set (by .ci/run, or by hand) to run the PostgreSQL suites; without it they are skipped. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "";

if (!TEST_DATABASE_URL) {
  process.stderr.write("TEST_DATABASE_URL is not set: PostgreSQL suites are skipped\n");
}

/** Every row of every table of a schema, as JSON text: what "the database's bytes" are on PostgreSQL. */
export async function dumpSchema(schema: string): Promise<Buffer> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1",
      [schema],
    );
    const parts: string[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query<{ row: string }>(
        `select row_to_json(t)::text as row from ${schema}."${table_name}" t`,
      );
      parts.push(...rows.rows.map((r) => r.row));
    }
    return Buffer.from(parts.join("\n"));
  } finally {
    await client.end();
  }
}

/**
 * Drops a test schema, taking turns with migrations: a store opening in another worker reads the
 * catalog of every schema and would fail on one dropped under it.
 */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1::bigint)", [SCHEMA_CHANGE_LOCK]);
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** A store in a fresh schema of the test database; closing it drops the schema. */
export async function openTestPostgresStore(
  schema = `test_${randomBytes(6).toString("hex")}`,
): Promise<Store> {
  const store = await openPostgresStore(TEST_DATABASE_URL, { schema, poolSize: 4 });
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "close") {
        return async () => {
          await target.close();
          await dropSchema(schema);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
