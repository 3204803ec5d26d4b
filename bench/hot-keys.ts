/**
 * Many hot keys for the edge benchmark. Their accounts are made through the running server's admin
 * API; the keys themselves are minted with the project's own functions (`mintCredential`: key
 * generation and the pepper-keyed HMAC) and their rows (`credentialToRow`) inserted in bulk, 500
 * a statement in one transaction, without an audit event each: one HTTP call (or one audited store
 * transaction) per key would take minutes. The server reads them as any other stored key.
 */
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Config } from "../src/config.ts";
import { mintCredential } from "../src/services/credential-factory.ts";
import { credentialToRow } from "../src/store/kysely/rows.ts";
import type { Database } from "../src/store/kysely/tables.ts";
import type { Store } from "../src/store/port.ts";
import { systemClock, systemRandom } from "../src/system.ts";

const BATCH = 500;

function connect(database: Config["database"]): Kysely<Database> {
  return database.kind === "sqlite"
    ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(database.file) }) })
    : new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }),
      });
}

export async function seedHotKeys(options: {
  database: Config["database"];
  pepper: { version: number; secret: string };
  brand: string;
  accountIds: readonly string[];
  count: number;
}): Promise<string[]> {
  const runtime = { store: null as unknown as Store, clock: systemClock, random: systemRandom };
  const peppers = { current: options.pepper, byVersion: new Map([[options.pepper.version, options.pepper]]) };
  const keys: string[] = [];
  const rows: ReturnType<typeof credentialToRow>[] = [];
  for (let i = 0; i < options.count; i++) {
    const minted = mintCredential(
      runtime,
      { brand: options.brand, peppers },
      {
        accountId: options.accountIds[i % options.accountIds.length] as string,
        type: "API",
        environment: "LIVE",
        description: `hot ${i}`,
        createdBy: "operator:bench",
      },
    );
    rows.push(credentialToRow(minted.credential, minted.secret));
    keys.push(minted.apiKey as string);
  }
  const db = connect(options.database);
  try {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += BATCH) {
        await trx
          .insertInto("credentials")
          .values(rows.slice(i, i + BATCH))
          .execute();
      }
    });
  } finally {
    await db.destroy();
  }
  return keys;
}
