import { type Kysely, PostgresAdapter, sql, type Transaction } from "kysely";
import { chainHash, GENESIS } from "../../domain/audit-chain.ts";
import type { AuditEvent } from "../../domain/types.ts";
import { lockAccountRow } from "./account-lock.ts";
import { auditToRow } from "./rows.ts";
import type { Database } from "./tables.ts";
import { enqueueWebhookMessages } from "./webhook-outbox.ts";

/**
 * Appends events to their accounts' hash chains, inside the caller's transaction. Touching the
 * account row first serialises writers of one account (a row lock on PostgreSQL, the write lock on
 * SQLite) before the chain's tip is read, so two changes can never claim the same place. The
 * webhook messages the events call for go to the outbox in the same transaction.
 */
export async function appendAudit(
  trx: Transaction<Database> | Kysely<Database>,
  events: AuditEvent | readonly AuditEvent[],
): Promise<void> {
  const list: readonly AuditEvent[] = Array.isArray(events) ? events : [events as AuditEvent];
  if (list.length === 0) return;
  const accounts = [...new Set(list.map((e) => e.accountId))].sort();
  const tips =
    accounts.length === 1 ? await tipOfOne(trx, accounts[0] as string) : await tipsOfMany(trx, accounts);
  const rows = list.map((event) => {
    const tip = tips.get(event.accountId) ?? { seq: 0, hash: GENESIS };
    const next = { seq: tip.seq + 1, hash: chainHash(tip.hash, event) };
    tips.set(event.accountId, next);
    return { ...auditToRow(event), seq: next.seq, prev_hash: tip.hash, hash: next.hash };
  });
  await trx.insertInto("audit_events").values(rows).execute();
  // Subscribers hear of what was recorded, in the same transaction (see webhook-outbox.ts).
  await enqueueWebhookMessages(trx, list);
}

type Tips = Map<string, { seq: number; hash: string }>;

async function tipOfOne(trx: Transaction<Database> | Kysely<Database>, accountId: string): Promise<Tips> {
  await lockAccountRow(trx, accountId);
  const tip = await trx
    .selectFrom("audit_events")
    .select(["seq", "hash"])
    .where("account_id", "=", accountId)
    .where("seq", "is not", null)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  return new Map([[accountId, { seq: Number(tip?.seq ?? 0), hash: tip?.hash ?? GENESIS }]]);
}

/**
 * Several accounts at once (a lifecycle batch). On PostgreSQL their rows are locked in id order
 * (the lock an update takes, so creations referencing them are not held up); on SQLite one write
 * takes the database's single write lock, which covers them all. Then every tip in one read: one
 * probe of the (account_id, seq) index per account, however long the trail.
 */
async function tipsOfMany(trx: Transaction<Database> | Kysely<Database>, accounts: string[]): Promise<Tips> {
  let found: { account_id: string; seq: number | string | null; hash: string | null }[];
  if (trx.getExecutor().adapter instanceof PostgresAdapter) {
    await trx
      .selectFrom("accounts")
      .select("account_id")
      .where("account_id", "in", accounts)
      .orderBy("account_id")
      .forNoKeyUpdate()
      .execute();
    const result = await sql<{ account_id: string; seq: string; hash: string | null }>`
      select a.account_id, tip.seq, tip.hash
      from unnest(${accounts}::text[]) as a(account_id)
      cross join lateral (
        select seq, hash from audit_events
        where account_id = a.account_id and seq is not null
        order by seq desc limit 1
      ) as tip`.execute(trx);
    found = result.rows;
  } else {
    await lockAccountRow(trx, accounts[0] as string);
    found = await trx
      .selectFrom("audit_events as e")
      .innerJoin(
        (eb) =>
          eb
            .selectFrom("audit_events")
            .select(["account_id", (b) => b.fn.max("seq").as("seq")])
            .where("account_id", "in", accounts)
            .where("seq", "is not", null)
            .groupBy("account_id")
            .as("tip"),
        (join) => join.onRef("tip.account_id", "=", "e.account_id").onRef("tip.seq", "=", "e.seq"),
      )
      .select(["e.account_id", "e.seq", "e.hash"])
      .execute();
  }
  const tips: Tips = new Map(accounts.map((id) => [id, { seq: 0, hash: GENESIS }]));
  for (const row of found) tips.set(row.account_id, { seq: Number(row.seq), hash: row.hash ?? GENESIS });
  return tips;
}
