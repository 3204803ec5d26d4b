import { type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";
import { actionFamilyPrefix } from "../../domain/audit-filter.ts";
import type { Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { keysetPage } from "./keyset.ts";
import { iso, rowToAudit } from "./rows.ts";
import type { Database } from "./tables.ts";

export type AuditStore = Pick<Store, "listAuditEvents" | "readAuditChain" | "insertAuditEvent">;

/** `text` as a LIKE pattern matching itself alone (with `ESCAPE '\\'`). */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The audit trail: listing, the hash chain read back for verification, events of their own. */
export function auditStore(db: Kysely<Database>): AuditStore {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  /**
   * Whether the action is one of the family's (`credential.*`), compared case-sensitively on both
   * dialects: on PostgreSQL a LIKE on the escaped prefix (its estimate of how many rows match lets
   * the planner stop at the page's end); SQLite's LIKE ignores ASCII case, so there the exact
   * prefix is compared instead.
   */
  const inFamily = (action: string): RawBuilder<boolean> => {
    const prefix = actionFamilyPrefix(action);
    return isPostgres
      ? sql<boolean>`action like ${`${likeLiteral(prefix)}%`} escape '\\'`
      : sql<boolean>`substr(action, 1, ${prefix.length}) = ${prefix}`;
  };
  return {
    async readAuditChain(accountId) {
      const rows = await db
        .selectFrom("audit_events")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("seq", "is not", null)
        .orderBy("seq", "asc")
        .execute();
      return rows.map((row) => ({
        ...rowToAudit(row),
        seq: Number(row.seq),
        prevHash: row.prev_hash ?? "",
        hash: row.hash ?? "",
      }));
    },

    async insertAuditEvent(event) {
      await db.transaction().execute((trx) => appendAudit(trx, event));
    },

    async listAuditEvents(query) {
      let q = db.selectFrom("audit_events").selectAll().where("account_id", "=", query.accountId);
      // The bounds narrow the range read on (account_id, occurred_at, event_id), which also gives
      // the order; the action is checked on the rows in that range.
      if (query.occurredFrom) q = q.where("occurred_at", ">=", iso(query.occurredFrom));
      // One upper bound only, the tighter: given both `occurred_at < before` and the keyset's
      // `(occurred_at, event_id) < after`, SQLite ends the index range on the first and tests the
      // second row by row, so each later page would walk every newer match again.
      const before = query.occurredBefore ? iso(query.occurredBefore) : null;
      let after = query.after;
      if (before !== null && after !== null && after.at >= before) after = null;
      if (before !== null && after === null) q = q.where("occurred_at", "<", before);
      const action = query.action;
      if (action !== undefined) q = q.where((eb) => eb.or([eb("action", "=", action), inFamily(action)]));
      const rows = await keysetPage(
        q,
        { at: "occurred_at", id: "event_id" },
        { after, limit: query.limit },
      ).execute();
      return rows.map(rowToAudit);
    },
  };
}
