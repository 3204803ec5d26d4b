import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { kyselyStore } from "../kysely/kysely-store.ts";
import { migrateToLatest } from "../kysely/migrations.ts";
import type { Database } from "../kysely/tables.ts";
import type { Store } from "../port.ts";
import { withNamedStatements } from "./named-statements.ts";
import { withSchemaChangeLock } from "./schema-change-lock.ts";

/**
 * The PostgreSQL store: the same Kysely implementation over a connection pool. A `schema`
 * isolates one deployment (or one test run) inside a database. Instances starting together
 * migrate one at a time (see schema-change-lock.ts).
 */
export async function openPostgresStore(
  url: string,
  options: { schema?: string; poolSize?: number } = {},
): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // An unreachable or silent server must end in a 503, not a request that hangs.
    connectionTimeoutMillis: 5_000,
    query_timeout: 15_000,
    keepAlive: true,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle connection dropped by the server (restart, failover, network) is discarded by the pool;
  // the next query opens a new one. Without this listener the 'error' event would end the process.
  pool.on("error", () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
  await withSchemaChangeLock(db as Kysely<unknown>, async (connection) => {
    if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(connection);
    // The schema this connection works in (the option, the URL's search_path, or public).
    const current = await sql<{ schema: string }>`select current_schema() as schema`.execute(connection);
    await migrateToLatest(connection, { migrationTableSchema: current.rows[0]?.schema ?? "public" });
  });
  return kyselyStore(db);
}
