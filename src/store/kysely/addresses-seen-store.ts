import { type Kysely, sql } from "kysely";
import type { AddressesSeenPort } from "../addresses-seen-port.ts";
import { compiledQuery } from "./compiled-query.ts";
import { iso } from "./rows.ts";
import type { Database } from "./tables.ts";

/** The IP allow-list report: batched upserts of counts per (account, address), the listing, the purge. */
export function addressesSeenStore(db: Kysely<Database>): AddressesSeenPort {
  // Compiled once: a flush runs it for every pair seen since the last one.
  const upsert = compiledQuery(
    7,
    (
      accountId: string,
      address: string,
      firstSeenAt: string,
      lastSeenAt: string,
      requests: number,
      allowed: number,
      denied: number,
    ) =>
      db
        .insertInto("addresses_seen")
        .values({
          account_id: accountId,
          address,
          first_seen_at: firstSeenAt,
          last_seen_at: lastSeenAt,
          requests,
          allowed,
          denied,
        })
        .onConflict((oc) =>
          oc.columns(["account_id", "address"]).doUpdateSet({
            requests: sql<number>`addresses_seen.requests + excluded.requests`,
            allowed: sql<number>`addresses_seen.allowed + excluded.allowed`,
            denied: sql<number>`addresses_seen.denied + excluded.denied`,
            first_seen_at: sql<string>`case when excluded.first_seen_at < addresses_seen.first_seen_at then excluded.first_seen_at else addresses_seen.first_seen_at end`,
            last_seen_at: sql<string>`case when excluded.last_seen_at > addresses_seen.last_seen_at then excluded.last_seen_at else addresses_seen.last_seen_at end`,
          }),
        ),
  );
  return {
    async recordAddressesSeen(sightings) {
      if (sightings.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const s of sightings) {
          await upsert(
            trx,
            s.accountId,
            s.address,
            iso(s.firstSeenAt),
            iso(s.lastSeenAt),
            s.requests,
            s.allowed,
            s.denied,
          );
        }
      });
    },

    async listAddressesSeen(accountId, limit) {
      const rows = await db
        .selectFrom("addresses_seen")
        .selectAll()
        .where("account_id", "=", accountId)
        .orderBy("last_seen_at", "desc")
        .orderBy("address")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        address: row.address,
        firstSeenAt: new Date(row.first_seen_at),
        lastSeenAt: new Date(row.last_seen_at),
        requests: Number(row.requests),
        allowed: Number(row.allowed),
        denied: Number(row.denied),
      }));
    },

    async pruneAddressesSeen({ seenBefore, keepPerAccount }) {
      const old = await db
        .deleteFrom("addresses_seen")
        .where("last_seen_at", "<", iso(seenBefore))
        .executeTakeFirst();
      let removed = Number(old.numDeletedRows);
      // Only the accounts over the cap are trimmed, each on its own part of the index.
      const crowded = await db
        .selectFrom("addresses_seen")
        .select("account_id")
        .groupBy("account_id")
        .having((eb) => eb.fn.countAll(), ">", keepPerAccount)
        .execute();
      for (const { account_id: accountId } of crowded) {
        const trimmed = await db
          .deleteFrom("addresses_seen")
          .where("account_id", "=", accountId)
          .where("address", "not in", (eb) =>
            eb
              .selectFrom("addresses_seen")
              .select("address")
              .where("account_id", "=", accountId)
              .orderBy("last_seen_at", "desc")
              .orderBy("address")
              .limit(keepPerAccount),
          )
          .executeTakeFirst();
        removed += Number(trimmed.numDeletedRows);
      }
      return removed;
    },
  };
}
