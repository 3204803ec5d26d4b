import type { Transaction } from "kysely";
import { AppError } from "../../domain/errors.ts";
import type { IdempotencyMark } from "../port.ts";
import { iso } from "./rows.ts";
import type { Database } from "./tables.ts";

/**
 * Inside a change's transaction: its idempotency key is APPLIED together with the change, or
 * neither. If the key was taken over meanwhile (a retry after this request seemed to have died),
 * the change is abandoned: the taker-over makes it, once.
 */
export async function markApplied(
  trx: Transaction<Database>,
  mark: IdempotencyMark | undefined,
): Promise<void> {
  if (!mark) return;
  const result = await trx
    .updateTable("idempotency_keys")
    .set({ state: "APPLIED", resource_id: mark.resourceId })
    .where("key_hash", "=", mark.keyHash)
    .where("state", "=", "PENDING")
    .where("created_at", "=", iso(mark.reservedAt))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new AppError(
      "IDEMPOTENCY_KEY_IN_USE",
      "Another request took this idempotency key over; nothing was changed",
    );
  }
}
