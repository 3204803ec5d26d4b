import type { IdempotencyRecord } from "../port.ts";
import { idempotencyToRow, iso, rowToIdempotency } from "./rows.ts";
import { KyselyServiceTokenStore } from "./service-token-store.ts";

/** The idempotency part of the Kysely store: reservations, answers kept, releases and expiry. */
export class KyselyIdempotencyStore extends KyselyServiceTokenStore {
  async reserveIdempotencyKey(
    record: IdempotencyRecord,
    abandonedBefore?: Date,
  ): Promise<IdempotencyRecord | null> {
    return this.db.transaction().execute(async (trx) => {
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
  }

  async deleteExpiredIdempotencyKeys(now: Date): Promise<number> {
    const result = await this.db
      .deleteFrom("idempotency_keys")
      .where("expires_at", "<=", iso(now))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async completeIdempotencyKey(input: {
    keyHash: string;
    responseStatus: number;
    responseCiphertext: string;
  }): Promise<void> {
    await this.db
      .updateTable("idempotency_keys")
      .set({
        state: "COMPLETE",
        response_status: input.responseStatus,
        response_ciphertext: input.responseCiphertext,
      })
      .where("key_hash", "=", input.keyHash)
      .execute();
  }

  async releaseIdempotencyKey(keyHash: string): Promise<void> {
    await this.db
      .deleteFrom("idempotency_keys")
      .where("key_hash", "=", keyHash)
      .where("state", "=", "PENDING")
      .execute();
  }
}
