import type { Kysely, Transaction } from "kysely";
import type { Database } from "./tables.ts";

/**
 * Takes the account's row lock until the transaction ends (a no-op update: PostgreSQL locks the
 * row; SQLite's one writer already serialises), so changes checked per account (caps, the last
 * owner, the audit chain's tip) happen one at a time.
 */
export async function lockAccountRow(
  trx: Transaction<Database> | Kysely<Database>,
  accountId: string,
): Promise<void> {
  await trx
    .updateTable("accounts")
    .set((eb) => ({ account_id: eb.ref("account_id") }))
    .where("account_id", "=", accountId)
    .execute();
}
