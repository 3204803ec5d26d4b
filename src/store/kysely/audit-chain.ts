import type { Kysely, Transaction } from "kysely";
import { chainHash, GENESIS } from "../../domain/audit-chain.ts";
import type { AuditEvent } from "../../domain/types.ts";
import { auditToRow } from "./rows.ts";
import type { Database } from "./tables.ts";

/**
 * Appends events to their accounts' hash chains, inside the caller's transaction. Touching the
 * account row first serialises writers of one account (a row lock on PostgreSQL, the write lock on
 * SQLite) before the chain's tip is read, so two changes can never claim the same place.
 */
export async function appendAudit(
  trx: Transaction<Database> | Kysely<Database>,
  events: AuditEvent | readonly AuditEvent[],
): Promise<void> {
  const list: readonly AuditEvent[] = Array.isArray(events) ? events : [events as AuditEvent];
  if (list.length === 0) return;
  const tips = new Map<string, { seq: number; hash: string }>();
  // In one order always, so that two writers of the same accounts cannot deadlock.
  for (const accountId of [...new Set(list.map((e) => e.accountId))].sort()) {
    await trx
      .updateTable("accounts")
      .set((eb) => ({ account_id: eb.ref("account_id") }))
      .where("account_id", "=", accountId)
      .execute();
    const tip = await trx
      .selectFrom("audit_events")
      .select(["seq", "hash"])
      .where("account_id", "=", accountId)
      .where("seq", "is not", null)
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    tips.set(accountId, { seq: Number(tip?.seq ?? 0), hash: tip?.hash ?? GENESIS });
  }
  const rows = list.map((event) => {
    const tip = tips.get(event.accountId) ?? { seq: 0, hash: GENESIS };
    const next = { seq: tip.seq + 1, hash: chainHash(tip.hash, event) };
    tips.set(event.accountId, next);
    return { ...auditToRow(event), seq: next.seq, prev_hash: tip.hash, hash: next.hash };
  });
  await trx.insertInto("audit_events").values(rows).execute();
}
