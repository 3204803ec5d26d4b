import { randomBytes } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { dropSchema, openTestPostgresStore, TEST_DATABASE_URL } from "./postgres.ts";
import { storeContract } from "./store-contract/index.ts";

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL (TEST_DATABASE_URL)", () => {
  storeContract("PostgreSQL store", () => openTestPostgresStore());

  it("migrates its own schema although another schema of the database holds migration tables", async () => {
    const decoy = `decoy_${randomBytes(5).toString("hex")}`;
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`create schema ${decoy}`);
      await client.query(`create table ${decoy}.kysely_migration (name text)`);
      await client.query(`create table ${decoy}.kysely_migration_lock (id text)`);
      const store = await openTestPostgresStore();
      await expect(store.ping()).resolves.toBeUndefined();
      await store.close();
    } finally {
      await client.end();
      await dropSchema(decoy);
    }
  });
});
