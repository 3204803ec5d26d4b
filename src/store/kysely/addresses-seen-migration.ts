import type { Kysely, Migration } from "kysely";

/**
 * `0014_addresses_seen`: per account and source address, when it was first and last seen and how
 * many requests came from it, of which how many the allow-list in force let through or denied.
 */
export const addressesSeenMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("addresses_seen")
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("address", "text", (c) => c.notNull())
      .addColumn("first_seen_at", "text", (c) => c.notNull())
      .addColumn("last_seen_at", "text", (c) => c.notNull())
      .addColumn("requests", "integer", (c) => c.notNull())
      .addColumn("allowed", "integer", (c) => c.notNull())
      .addColumn("denied", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("addresses_seen_pk", ["account_id", "address"])
      .execute();
    // The report reads an account's most recent; the purge reads the oldest of all.
    await db.schema
      .createIndex("addresses_seen_by_account")
      .on("addresses_seen")
      .columns(["account_id", "last_seen_at"])
      .execute();
    await db.schema
      .createIndex("addresses_seen_by_time")
      .on("addresses_seen")
      .column("last_seen_at")
      .execute();
  },
};
