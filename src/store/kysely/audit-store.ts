import { type Kysely, sql } from "kysely";
import { actionFamilyPrefix } from "../../domain/audit-filter.ts";
import type { Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { keysetPage } from "./keyset.ts";
import { iso, rowToAudit } from "./rows.ts";
import type { Database } from "./tables.ts";

export type AuditStore = Pick<Store, "listAuditEvents" | "readAuditChain" | "insertAuditEvent">;

/** The audit trail: listing, the hash chain read back for verification, events of their own. */
export function auditStore(db: Kysely<Database>): AuditStore {
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
      if (query.occurredBefore) q = q.where("occurred_at", "<", iso(query.occurredBefore));
      const action = query.action;
      if (action !== undefined) {
        // The family by its exact prefix: unlike LIKE, no wildcard to escape in `_`, and the same
        // case-sensitive comparison on both dialects (SQLite's LIKE ignores ASCII case).
        const prefix = actionFamilyPrefix(action);
        q = q.where((eb) =>
          eb.or([
            eb("action", "=", action),
            eb(sql<string>`substr(action, 1, cast(${prefix.length} as integer))`, "=", prefix),
          ]),
        );
      }
      const rows = await keysetPage(q, { at: "occurred_at", id: "event_id" }, query).execute();
      return rows.map(rowToAudit);
    },
  };
}
