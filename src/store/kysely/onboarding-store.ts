import type { Kysely } from "kysely";
import type { ClaimOutcome, Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { credentialToRow, iso, linkToRow, rowToLink } from "./rows.ts";
import type { Database } from "./tables.ts";

export type OnboardingStore = Pick<
  Store,
  "replaceOnboardingLink" | "findOnboardingLink" | "claimOnboardingLink"
>;

/** Onboarding links: issued (replacing the unclaimed ones), looked up, and claimed once. */
export function onboardingStore(db: Kysely<Database>): OnboardingStore {
  return {
    async replaceOnboardingLink(input) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("onboarding_links")
          .set({ revoked_at: iso(input.link.createdAt) })
          .where("account_id", "=", input.link.accountId)
          .where("claimed_at", "is", null)
          .where("revoked_at", "is", null)
          .execute();
        await trx.insertInto("onboarding_links").values(linkToRow(input.link)).execute();
        await appendAudit(trx, input.audit);
      });
    },

    async findOnboardingLink(tokenHash) {
      const row = await db
        .selectFrom("onboarding_links")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      return row ? rowToLink(row) : null;
    },

    async claimOnboardingLink(input) {
      return db.transaction().execute(async (trx): Promise<ClaimOutcome> => {
        const claimed = await trx
          .updateTable("onboarding_links")
          .set({ claimed_at: iso(input.now) })
          .where("token_hash", "=", input.tokenHash)
          .where("claimed_at", "is", null)
          .where("revoked_at", "is", null)
          .where("expires_at", ">", iso(input.now))
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 1) {
          await trx
            .insertInto("credentials")
            .values(credentialToRow(input.initial.credential, input.initial.secret))
            .execute();
          if (input.audit.length > 0) {
            await appendAudit(trx, input.audit);
          }
          return { outcome: "CLAIMED" };
        }
        const row = await trx
          .selectFrom("onboarding_links")
          .selectAll()
          .where("token_hash", "=", input.tokenHash)
          .executeTakeFirst();
        if (!row) return { outcome: "NOT_FOUND" };
        if (row.claimed_at) return { outcome: "ALREADY_USED" };
        if (row.revoked_at) return { outcome: "SUPERSEDED" };
        return { outcome: "EXPIRED" };
      });
    },
  };
}
