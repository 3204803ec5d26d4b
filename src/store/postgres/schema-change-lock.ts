import { type Kysely, sql } from "kysely";

/**
 * The advisory lock every schema change of this service takes, across all schemas of a database.
 * Kysely's migrator locks only while it applies migrations; before that it creates its own tables
 * (`create table if not exists` races between instances starting together) and reads the catalog
 * of every schema (which fails if another schema is dropped meanwhile). Holding this lock for the
 * whole migration, and for any schema drop, makes those steps take turns.
 */
export const SCHEMA_CHANGE_LOCK = "4812398802340137727";

/** `work` on one connection of `db` while it holds the schema-change lock (a session lock). */
export async function withSchemaChangeLock<T>(
  db: Kysely<unknown>,
  work: (connection: Kysely<unknown>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${SCHEMA_CHANGE_LOCK}::bigint)`.execute(connection);
    try {
      return await work(connection);
    } finally {
      await sql`select pg_advisory_unlock(${SCHEMA_CHANGE_LOCK}::bigint)`.execute(connection);
    }
  });
}
