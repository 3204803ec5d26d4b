import type { Kysely } from "kysely";
import type { Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { keysetPage } from "./keyset.ts";
import { rowToAudit } from "./rows.ts";
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
      const q = db.selectFrom("audit_events").selectAll().where("account_id", "=", query.accountId);
      const rows = await keysetPage(q, { at: "occurred_at", id: "event_id" }, query).execute();
      return rows.map(rowToAudit);
    },
  };
}
