import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SQLite from "better-sqlite3";
import type { Kysely } from "kysely";
import pg from "pg";
import type { Database } from "../src/store/kysely/tables.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { dormantHash, dueState, type SeedManifest, type SeedOptions, seedRows } from "./seed-data.ts";

/** Where a seeded store lives: a SQLite file, or a schema of a PostgreSQL database. */
export type SeedTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string; schema: string };

export const DEFAULT_SQLITE_FILE = resolve(import.meta.dirname, "../data/bench-scale/scale.sqlite");

export function manifestFile(target: SeedTarget): string {
  return target.kind === "sqlite"
    ? `${target.file}.manifest.json`
    : resolve(import.meta.dirname, `../data/bench-scale/${target.schema}.pg.manifest.json`);
}

export function readManifest(target: SeedTarget): SeedManifest {
  return JSON.parse(readFileSync(manifestFile(target), "utf8")) as SeedManifest;
}

const CHUNK = 5_000;

/**
 * Creates the store (migrated by the service's own code), then inserts the rows in bulk: one
 * transaction of prepared inserts on SQLite, multi-row `unnest` inserts on PostgreSQL; ends with
 * `ANALYZE`. Returns the manifest, also written next to the store.
 */
export async function seedStore(target: SeedTarget, options: SeedOptions): Promise<SeedManifest> {
  const rows = seedRows(options);
  let manifest: SeedManifest;
  if (target.kind === "sqlite") {
    mkdirSync(dirname(target.file), { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) writeFileSync(`${target.file}${suffix}`, "");
    await (await openSqliteStore(target.file)).close();
    const db = new SQLite(target.file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    const statements = new Map<string, SQLite.Statement>();
    const insert = (table: string, row: Record<string, unknown>): void => {
      let statement = statements.get(table);
      if (!statement) {
        const columns = Object.keys(row);
        statement = db.prepare(
          `insert into ${table} (${columns.join(", ")}) values (${columns.map((c) => `@${c}`).join(", ")})`,
        );
        statements.set(table, statement);
      }
      statement.run(row);
    };
    db.exec("begin");
    for (;;) {
      const next = rows.next();
      if (next.done) {
        manifest = next.value;
        break;
      }
      insert(next.value.table, next.value.row as unknown as Record<string, unknown>);
    }
    db.exec("commit");
    db.exec("analyze");
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
  } else {
    await (await openPostgresStore(target.url, { schema: target.schema })).close();
    const pool = new pg.Pool({ connectionString: target.url, options: `-c search_path=${target.schema}` });
    try {
      for (const table of ["audit_events", "credentials", "onboarding_links", "accounts"]) {
        await pool.query(`delete from ${table}`);
      }
      const types = await columnTypes(pool, target.schema);
      const buffers = new Map<string, Record<string, unknown>[]>();
      const flush = async (table: string): Promise<void> => {
        const list = buffers.get(table) ?? [];
        if (list.length === 0) return;
        const columns = Object.keys(list[0] as object);
        const arrays = columns.map((c) => list.map((row) => row[c] ?? null));
        const casts = columns.map((c, i) => `$${i + 1}::${types.get(`${table}.${c}`) ?? "text"}[]`);
        await pool.query(
          `insert into ${table} (${columns.join(", ")}) select * from unnest(${casts.join(", ")})`,
          arrays,
        );
        buffers.set(table, []);
      };
      for (;;) {
        const next = rows.next();
        if (next.done) {
          manifest = next.value;
          break;
        }
        const { table, row } = next.value;
        const list = buffers.get(table) ?? [];
        list.push(row as unknown as Record<string, unknown>);
        buffers.set(table, list);
        // Accounts first: credentials reference them.
        if (list.length >= CHUNK) {
          await flush("accounts");
          await flush("audit_events");
          await flush(table);
        }
      }
      for (const table of ["accounts", "audit_events", "credentials"]) await flush(table);
      await pool.query("analyze");
    } finally {
      await pool.end();
    }
  }
  mkdirSync(dirname(manifestFile(target)), { recursive: true });
  writeFileSync(manifestFile(target), JSON.stringify(manifest));
  return manifest;
}

async function columnTypes(pool: pg.Pool, schema: string): Promise<Map<string, string>> {
  const result = await pool.query<{ table_name: string; column_name: string; data_type: string }>(
    "select table_name, column_name, data_type from information_schema.columns where table_schema = $1",
    [schema],
  );
  return new Map(
    result.rows.map((r) => [`${r.table_name}.${r.column_name}`, r.data_type === "integer" ? "int" : "text"]),
  );
}

/**
 * Makes the first `count` credentials of the due pool due (each for its rule) and the rest of the
 * pool not due, whatever earlier sweeps did to them, so sweeps of several sizes run on one seed.
 */
export async function prepareDue(db: Kysely<Database>, manifest: SeedManifest, count: number): Promise<void> {
  const now = new Date(manifest.now);
  // A deleted credential lost its hash: the pool's dormant one comes back with it.
  const secretHash = dormantHash(manifest.pepper);
  await db.transaction().execute(async (trx) => {
    for (const [index, credentialId] of manifest.duePool.entries()) {
      await trx
        .updateTable("credentials")
        .set({ ...dueState(index, now, index < count), secret_hash: secretHash, pepper_version: 1 })
        .where("credential_id", "=", credentialId)
        .execute();
    }
  });
}
