import type { Transaction } from "kysely";
import type { IdempotencyMark } from "../port.ts";
import type { Database } from "./tables.ts";

/** Inside a change's transaction: its idempotency key is APPLIED together with the change, or neither. */
export async function markApplied(
  trx: Transaction<Database>,
  mark: IdempotencyMark | undefined,
): Promise<void> {
  if (!mark) return;
  await trx
    .updateTable("idempotency_keys")
    .set({ state: "APPLIED", resource_id: mark.resourceId })
    .where("key_hash", "=", mark.keyHash)
    .where("state", "=", "PENDING")
    .execute();
}
