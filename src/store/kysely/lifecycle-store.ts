import { type Kysely, sql } from "kysely";
import type { Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { ruleApplies, ruleChange, ruleOrder } from "./lifecycle-rules.ts";
import { iso, rowToCredential } from "./rows.ts";
import type { Database } from "./tables.ts";

export type LifecycleStore = Pick<Store, "findLifecycleCandidates" | "applyLifecycleRule">;

/** The lifecycle sweep's reads and guarded updates: each rule as its table entry says (lifecycle-rules.ts). */
export function lifecycleStore(db: Kysely<Database>): LifecycleStore {
  return {
    async findLifecycleCandidates(input) {
      const column = ruleOrder(input.rule);
      let q = db.selectFrom("credentials").selectAll().where(ruleApplies(input.rule, input.thresholds));
      const after = input.after;
      if (after !== null) {
        const at = column === "expires_at" ? after.expiresAt : after.activityAt;
        // A row-value comparison: a range on the (status, column, credential_id) index.
        if (at !== null)
          q = q.where(
            sql<boolean>`(${sql.ref(column)}, credential_id) > (${iso(at)}, ${after.credentialId})`,
          );
      }
      const rows = await q.orderBy(column).orderBy("credential_id").limit(input.limit).execute();
      return rows.map(rowToCredential);
    },

    async applyLifecycleRule(input) {
      if (input.changes.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .updateTable("credentials")
          .set(ruleChange(input.rule, input.thresholds))
          .where(
            "credential_id",
            "in",
            input.changes.map((c) => c.credentialId),
          )
          .where(ruleApplies(input.rule, input.thresholds))
          .returningAll()
          .execute();
        const changed = new Map(rows.map((row) => [row.credential_id, row]));
        const done = input.changes.filter((c) => changed.has(c.credentialId));
        await appendAudit(
          trx,
          done.map((c) => c.audit),
        );
        return done.map((c) => rowToCredential(changed.get(c.credentialId) as (typeof rows)[number]));
      });
    },
  };
}
