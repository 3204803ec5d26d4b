import type { Transaction } from "kysely";
import type { Credential, StatusReason } from "../../domain/types.ts";
import { iso, rowToCredential } from "./rows.ts";
import type { Database } from "./tables.ts";

/**
 * The guarded ACTIVE → DISABLED update, inside the caller's transaction: the credential disabled,
 * or null when it was not ACTIVE (then nothing changed). Every disable by request goes through it
 * (`disableActiveCredential`, a leak report's `recordCredentialLeak`), so all race alike.
 */
export async function disableIfActive(
  trx: Transaction<Database>,
  input: { accountId: string; credentialId: string; reason: StatusReason; at: Date },
): Promise<Credential | null> {
  const row = await trx
    .updateTable("credentials")
    .set({ status: "DISABLED", status_reason: input.reason, disabled_at: iso(input.at) })
    .where("account_id", "=", input.accountId)
    .where("credential_id", "=", input.credentialId)
    .where("status", "=", "ACTIVE")
    .returningAll()
    .executeTakeFirst();
  return row ? rowToCredential(row) : null;
}
