import type { Kysely } from "kysely";
import type { Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { disableIfActive } from "./credential-disable.ts";
import { iso } from "./rows.ts";
import type { Database } from "./tables.ts";

export type LeakStore = Pick<Store, "recordCredentialLeak">;

/**
 * Leaked-key reports: each reported token (by its SHA-256) acts once. The first report records the
 * hash and, when asked, disables the credential through the same guarded update as every other
 * disable, with its audit events, all in one transaction; a repeated report writes nothing, unless
 * the first was only announced (`notify`) and this one asks to disable: then it disables.
 */
export function leakStore(db: Kysely<Database>): LeakStore {
  return {
    async recordCredentialLeak(report) {
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto("leak_reports")
          .values({
            token_hash: report.tokenHash,
            account_id: report.accountId,
            credential_id: report.credentialId,
            action: report.disable ? "DISABLED" : "NOTIFIED",
            reported_at: iso(report.at),
          })
          .onConflict((conflict) => conflict.column("token_hash").doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
          // Reported before. Only a report that was merely announced (LEAKED_KEY_ACTION=notify
          // then) acts again, and only to disable, now that disabling is asked for.
          if (!report.disable) return { outcome: "REPEATED" as const };
          const earlier = await trx
            .selectFrom("leak_reports")
            .select("action")
            .where("token_hash", "=", report.tokenHash)
            .executeTakeFirst();
          if (earlier?.action !== "NOTIFIED") return { outcome: "REPEATED" as const };
          const disabled = await disableIfActive(trx, { ...report, reason: "LEAKED" });
          await trx
            .updateTable("leak_reports")
            .set({ action: disabled ? "DISABLED" : "NONE" })
            .where("token_hash", "=", report.tokenHash)
            .execute();
          if (!disabled) return { outcome: "REPEATED" as const };
          await appendAudit(trx, report.disabledAudit);
          return { outcome: "RECORDED" as const, disabled };
        }
        const disabled = report.disable ? await disableIfActive(trx, { ...report, reason: "LEAKED" }) : null;
        if (report.disable && !disabled) {
          await trx
            .updateTable("leak_reports")
            .set({ action: "NONE" })
            .where("token_hash", "=", report.tokenHash)
            .execute();
        }
        await appendAudit(trx, disabled ? [report.disabledAudit, report.leakedAudit] : [report.leakedAudit]);
        return { outcome: "RECORDED" as const, disabled };
      });
    },
  };
}
