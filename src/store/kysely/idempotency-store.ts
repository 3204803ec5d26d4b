import type { Kysely } from "kysely";
import type { Store } from "../port.ts";
import { idempotencyToRow, iso, rowToIdempotency } from "./rows.ts";
import type { Database } from "./tables.ts";

export type IdempotencyStore = Pick<
  Store,
  | "reserveIdempotencyKey"
  | "deleteExpiredIdempotencyKeys"
  | "completeIdempotencyKey"
  | "releaseIdempotencyKey"
>;

/** Idempotency keys: reservations, answers kept, releases and expiry. */
export function idempotencyStore(db: Kysely<Database>): IdempotencyStore {
  return {
    async reserveIdempotencyKey(record, abandonedBefore) {
      return db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom("idempotency_keys")
          .where("key_hash", "=", record.keyHash)
          .where((eb) =>
            eb.or([
              eb("expires_at", "<=", iso(record.createdAt)),
              ...(abandonedBefore
                ? [eb.and([eb("state", "=", "PENDING"), eb("created_at", "<", iso(abandonedBefore))])]
                : []),
            ]),
          )
          .execute();
        const inserted = await trx
          .insertInto("idempotency_keys")
          .values(idempotencyToRow(record))
          .onConflict((oc) => oc.column("key_hash").doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return null;
        const existing = await trx
          .selectFrom("idempotency_keys")
          .selectAll()
          .where("key_hash", "=", record.keyHash)
          .executeTakeFirstOrThrow();
        return rowToIdempotency(existing);
      });
    },

    async deleteExpiredIdempotencyKeys(now) {
      const result = await db
        .deleteFrom("idempotency_keys")
        .where("expires_at", "<=", iso(now))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async completeIdempotencyKey(input) {
      await db
        .updateTable("idempotency_keys")
        .set({
          state: "COMPLETE",
          response_status: input.responseStatus,
          response_ciphertext: input.responseCiphertext,
        })
        .where("key_hash", "=", input.keyHash)
        .execute();
    },

    async releaseIdempotencyKey(keyHash) {
      await db
        .deleteFrom("idempotency_keys")
        .where("key_hash", "=", keyHash)
        .where("state", "=", "PENDING")
        .execute();
    },
  };
}
