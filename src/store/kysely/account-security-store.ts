import type { Kysely } from "kysely";
import { applyRateLimitChanges } from "../../domain/rate-limit-overrides.ts";
import type { Account, AuditEvent } from "../../domain/types.ts";
import type { RateLimitsChange, Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { iso, originToRow, rowToAccount, rowToOrigin } from "./rows.ts";
import type { Database } from "./tables.ts";

export type AccountSecurityStore = Pick<
  Store,
  | "insertAllowedOrigin"
  | "listAllowedOrigins"
  | "deleteAllowedOrigin"
  | "findAllowedOrigins"
  | "changeRateLimits"
  | "updateIpRestriction"
  | "setMtlsEnforcement"
>;

/** What an account allows and requires: its allowed origins, rate-limit overrides, IP allow-list, mTLS. */
export function accountSecurityStore(db: Kysely<Database>): AccountSecurityStore {
  const updateAccount = (
    accountId: string,
    change: Partial<Database["accounts"]>,
    audit: AuditEvent,
  ): Promise<Account> =>
    db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("accounts")
        .set(change)
        .where("account_id", "=", accountId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAudit(trx, audit);
      return rowToAccount(row);
    });

  return {
    async insertAllowedOrigin(input) {
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom("allowed_origins")
          .selectAll()
          .where("account_id", "=", input.origin.accountId)
          .where("origin", "=", input.origin.origin)
          .executeTakeFirst();
        if (existing) return { outcome: "DUPLICATE" as const, existing: rowToOrigin(existing) };
        const { count } = await trx
          .selectFrom("allowed_origins")
          .select((eb) => eb.fn.countAll<number>().as("count"))
          .where("account_id", "=", input.origin.accountId)
          .executeTakeFirstOrThrow();
        if (Number(count) >= input.max) return { outcome: "FULL" as const };
        await trx.insertInto("allowed_origins").values(originToRow(input.origin)).execute();
        await appendAudit(trx, input.audit);
        return { outcome: "INSERTED" as const };
      });
    },

    async listAllowedOrigins(accountId) {
      const rows = await db
        .selectFrom("allowed_origins")
        .selectAll()
        .where("account_id", "=", accountId)
        .orderBy("origin")
        .execute();
      return rows.map(rowToOrigin);
    },

    async deleteAllowedOrigin(input) {
      return db.transaction().execute(async (trx) => {
        const deleted = await trx
          .deleteFrom("allowed_origins")
          .where("account_id", "=", input.accountId)
          .where("origin_id", "=", input.originId)
          .executeTakeFirst();
        if (Number(deleted.numDeletedRows) !== 1) return false;
        await appendAudit(trx, input.audit);
        return true;
      });
    },

    async findAllowedOrigins(candidates) {
      if (candidates.length === 0) return [];
      const rows = await db
        .selectFrom("allowed_origins")
        .selectAll()
        .where("origin", "in", candidates)
        .limit(100)
        .execute();
      return rows.map(rowToOrigin);
    },

    async changeRateLimits(input) {
      return db.transaction().execute(async (trx): Promise<RateLimitsChange> => {
        // Touching the account row first takes its lock: changes of one account's overrides run
        // one after the other, each made to what the one before left.
        const locked = await trx
          .updateTable("accounts")
          .set((eb) => ({ account_id: eb.ref("account_id") }))
          .where("account_id", "=", input.accountId)
          .returning("rate_limits")
          .executeTakeFirst();
        if (!locked) return { outcome: "NOT_FOUND" };
        const current = JSON.parse(locked.rate_limits) as Record<string, string>;
        const next = applyRateLimitChanges(current, input.changes);
        if (next === null) return { outcome: "TOO_MANY" };
        const row = await trx
          .updateTable("accounts")
          .set({ rate_limits: JSON.stringify(next) })
          .where("account_id", "=", input.accountId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await appendAudit(trx, input.audit);
        return { outcome: "CHANGED", account: rowToAccount(row) };
      });
    },

    async updateIpRestriction(input) {
      return updateAccount(
        input.accountId,
        {
          ip_enforcement_mode: input.restriction.mode,
          ip_allowed: JSON.stringify(input.restriction.allowedIps),
        },
        input.audit,
      );
    },

    async setMtlsEnforcement(input) {
      const enforcedFrom = input.enforcedFrom ? iso(input.enforcedFrom) : null;
      return updateAccount(input.accountId, { mtls_enforced_from: enforcedFrom }, input.audit);
    },
  };
}
