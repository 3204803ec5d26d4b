import { type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";
import { foldAsciiCase, likeContains } from "../../domain/account-search.ts";
import type { Store } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { compiledQuery, type DirectReader } from "./compiled-query.ts";
import { markApplied } from "./idempotency-mark.ts";
import { keysetPage } from "./keyset.ts";
import { accountToRow, iso, linkToRow, rowToAccount } from "./rows.ts";
import type { Database } from "./tables.ts";

export type AccountStore = Pick<
  Store,
  | "createAccount"
  | "findAccount"
  | "countPartnerAccounts"
  | "listAccounts"
  | "searchAccounts"
  | "suspendAccount"
  | "resumeAccount"
>;

/** Accounts: creation (with the first onboarding link), the lookup every request makes, listing, suspension. */
export function accountStore(
  db: Kysely<Database>,
  direct?: { db: Kysely<Database>; read: DirectReader },
): AccountStore {
  const byId = compiledQuery(
    1,
    (accountId: string) => db.selectFrom("accounts").selectAll().where("account_id", "=", accountId),
    direct,
  );
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  /**
   * The column with ASCII letters in lower case, and nothing else changed: SQLite's lower() folds
   * ASCII only, PostgreSQL's would fold every script, so there translate() does what SQLite does.
   */
  const folded = (column: "name" | "partner_account_reference"): RawBuilder<string> =>
    isPostgres
      ? sql<string>`translate(${sql.ref(column)}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`
      : sql<string>`lower(${sql.ref(column)})`;
  return {
    async createAccount(input) {
      await db.transaction().execute(async (trx) => {
        await markApplied(trx, input.idempotency);
        await trx.insertInto("accounts").values(accountToRow(input.account)).execute();
        if (input.link) await trx.insertInto("onboarding_links").values(linkToRow(input.link)).execute();
        if (input.audit.length > 0) {
          await appendAudit(trx, input.audit);
        }
      });
    },

    async findAccount(accountId) {
      const [row] = await byId(db, accountId);
      return row ? rowToAccount(row) : null;
    },

    async countPartnerAccounts(parentAccountId) {
      const row = await db
        .selectFrom("accounts")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("parent_account_id", "=", parentAccountId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async listAccounts(query) {
      let q = db.selectFrom("accounts").selectAll();
      if (query.environment !== undefined) q = q.where("environment", "=", query.environment);
      if (query.parentAccountId !== undefined) q = q.where("parent_account_id", "=", query.parentAccountId);
      if (query.kind !== undefined) q = q.where("kind", "=", query.kind);
      const rows = await keysetPage(q, { at: "created_at", id: "account_id" }, query).execute();
      return rows.map(rowToAccount);
    },

    async searchAccounts(query) {
      // SQLite's LIKE ignores ASCII case itself; PostgreSQL's does not: both compare folded text.
      const pattern = likeContains(foldAsciiCase(query.text));
      let q = db
        .selectFrom("accounts")
        .selectAll()
        .where((eb) =>
          eb.or([
            eb("account_id", "=", query.text),
            sql<boolean>`${folded("name")} like ${pattern} escape '\\'`,
            sql<boolean>`${folded("partner_account_reference")} like ${pattern} escape '\\'`,
          ]),
        );
      const family = query.familyOf;
      if (family !== undefined) {
        q = q.where((eb) => eb.or([eb("parent_account_id", "=", family), eb("account_id", "=", family)]));
      }
      const rows = await keysetPage(q, { at: "created_at", id: "account_id" }, query).execute();
      return rows.map(rowToAccount);
    },

    async suspendAccount(input) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("accounts")
          .set({ suspended_at: iso(input.at), suspended_reason: input.reason })
          .where("account_id", "=", input.accountId)
          .where("suspended_at", "is", null)
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await appendAudit(trx, input.audit);
        return rowToAccount(row);
      });
    },

    async resumeAccount(input) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("accounts")
          .set({ suspended_at: null, suspended_reason: null })
          .where("account_id", "=", input.accountId)
          .where("suspended_at", "is not", null)
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await appendAudit(trx, input.audit);
        return rowToAccount(row);
      });
    },
  };
}
