import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { PagePosition } from "../../domain/page-token.ts";
import type { Account, AuditEvent, Credential } from "../../domain/types.ts";
import type {
  ClaimOutcome,
  CredentialForAuth,
  CredentialQuery,
  CredentialUse,
  IdempotencyRecord,
  NewCredential,
  OnboardingLink,
  Page,
  StatusChange,
  Store,
} from "../port.ts";
import {
  accountToRow,
  auditToRow,
  credentialToRow,
  idempotencyToRow,
  iso,
  linkToRow,
  rowToAccount,
  rowToAudit,
  rowToCredential,
  rowToIdempotency,
  rowToLink,
} from "./rows.ts";
import type { Database } from "./tables.ts";

type Table = keyof Database;

/** Newest first, strictly after the given position: `(at, id) < (position.at, position.id)`. */
function keysetPage<T extends Table, O>(
  query: SelectQueryBuilder<Database, T, O>,
  columns: { at: string; id: string },
  page: Page,
): SelectQueryBuilder<Database, T, O> {
  const at = sql.ref<string>(columns.at);
  const id = sql.ref<string>(columns.id);
  const after: PagePosition | null = page.after;
  const filtered = after
    ? query.where(sql<boolean>`(${at} < ${after.at} or (${at} = ${after.at} and ${id} < ${after.id}))`)
    : query;
  return filtered.orderBy(at, "desc").orderBy(id, "desc").limit(page.limit);
}

/** The Store port over Kysely; dialect-specific set-up lives in the sqlite/ and postgres/ factories. */
export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async createAccount(input: {
    account: Account;
    audit: AuditEvent;
    link: OnboardingLink | null;
  }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.insertInto("accounts").values(accountToRow(input.account)).execute();
      if (input.link) await trx.insertInto("onboarding_links").values(linkToRow(input.link)).execute();
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
    });
  }

  async findAccount(accountId: string): Promise<Account | null> {
    const row = await this.#db
      .selectFrom("accounts")
      .selectAll()
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return row ? rowToAccount(row) : null;
  }

  async listAccounts(query: Page & { parentAccountId?: string; kind?: string }): Promise<Account[]> {
    let q = this.#db.selectFrom("accounts").selectAll();
    if (query.parentAccountId !== undefined) q = q.where("parent_account_id", "=", query.parentAccountId);
    if (query.kind !== undefined) q = q.where("kind", "=", query.kind);
    const rows = await keysetPage(q, { at: "created_at", id: "account_id" }, query).execute();
    return rows.map(rowToAccount);
  }

  async replaceOnboardingLink(input: { link: OnboardingLink; audit: AuditEvent }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable("onboarding_links")
        .set({ revoked_at: iso(input.link.createdAt) })
        .where("account_id", "=", input.link.accountId)
        .where("claimed_at", "is", null)
        .where("revoked_at", "is", null)
        .execute();
      await trx.insertInto("onboarding_links").values(linkToRow(input.link)).execute();
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
    });
  }

  async findOnboardingLink(tokenHash: string): Promise<OnboardingLink | null> {
    const row = await this.#db
      .selectFrom("onboarding_links")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    return row ? rowToLink(row) : null;
  }

  async claimOnboardingLink(input: {
    tokenHash: string;
    now: Date;
    initial: NewCredential;
    audit: AuditEvent[];
  }): Promise<ClaimOutcome> {
    return this.#db.transaction().execute(async (trx): Promise<ClaimOutcome> => {
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
          await trx.insertInto("audit_events").values(input.audit.map(auditToRow)).execute();
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
  }

  async insertCredential(input: NewCredential & { audit: AuditEvent }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.insertInto("credentials").values(credentialToRow(input.credential, input.secret)).execute();
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
    });
  }

  async findCredentialByLookupId(lookupId: string): Promise<CredentialForAuth | null> {
    const row = await this.#db
      .selectFrom("credentials")
      .selectAll()
      .where("lookup_id", "=", lookupId)
      .executeTakeFirst();
    if (!row) return null;
    const secret =
      row.secret_hash !== null && row.pepper_version !== null
        ? { hash: row.secret_hash, pepperVersion: row.pepper_version }
        : null;
    return { credential: rowToCredential(row), secret };
  }

  async findCredential(accountId: string, credentialId: string): Promise<Credential | null> {
    const row = await this.#db
      .selectFrom("credentials")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("credential_id", "=", credentialId)
      .executeTakeFirst();
    return row ? rowToCredential(row) : null;
  }

  async listCredentials(query: CredentialQuery): Promise<Credential[]> {
    let q = this.#db.selectFrom("credentials").selectAll().where("account_id", "=", query.accountId);
    if (query.type) q = q.where("type", "=", query.type);
    if (query.environment) q = q.where("environment", "=", query.environment);
    q = query.status ? q.where("status", "=", query.status) : q.where("status", "!=", "DELETED");
    const rows = await keysetPage(q, { at: "created_at", id: "credential_id" }, query).execute();
    return rows.map(rowToCredential);
  }

  async updateCredentialDescription(input: {
    accountId: string;
    credentialId: string;
    description: string;
    audit: AuditEvent;
  }): Promise<Credential | null> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("credentials")
        .set({ description: input.description })
        .where("account_id", "=", input.accountId)
        .where("credential_id", "=", input.credentialId)
        .where("status", "!=", "DELETED")
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
      return rowToCredential(row);
    });
  }

  async disableActiveCredential(input: StatusChange & { reason: string }): Promise<Credential | null> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("credentials")
        .set({ status: "DISABLED", status_reason: input.reason, disabled_at: iso(input.at) })
        .where("account_id", "=", input.accountId)
        .where("credential_id", "=", input.credentialId)
        .where("status", "=", "ACTIVE")
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
      return rowToCredential(row);
    });
  }

  async enableDisabledCredential(input: StatusChange): Promise<Credential | null> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("credentials")
        .set({ status: "ACTIVE", status_reason: null, disabled_at: null })
        .where("account_id", "=", input.accountId)
        .where("credential_id", "=", input.credentialId)
        .where("status", "=", "DISABLED")
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
      return rowToCredential(row);
    });
  }

  async recordCredentialUses(uses: CredentialUse[]): Promise<void> {
    if (uses.length === 0) return;
    await this.#db.transaction().execute(async (trx) => {
      for (const use of uses) {
        const at = iso(use.usedAt);
        await trx
          .updateTable("credentials")
          .set({ last_used_at: at, last_used_ip: use.sourceIp })
          .where("credential_id", "=", use.credentialId)
          .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)]))
          .execute();
      }
    });
  }

  async listAuditEvents(query: Page & { accountId: string }): Promise<AuditEvent[]> {
    const q = this.#db.selectFrom("audit_events").selectAll().where("account_id", "=", query.accountId);
    const rows = await keysetPage(q, { at: "occurred_at", id: "event_id" }, query).execute();
    return rows.map(rowToAudit);
  }

  async reserveIdempotencyKey(record: IdempotencyRecord): Promise<IdempotencyRecord | null> {
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom("idempotency_keys")
        .where("key_hash", "=", record.keyHash)
        .where("expires_at", "<=", iso(record.createdAt))
        .execute();
      const inserted = await trx
        .insertInto("idempotency_keys")
        .values(idempotencyToRow(record))
        .onConflict((oc) => oc.column("key_hash").doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return null;
      const existing = await trx
        .selectFrom("idempotency_keys")
        .selectAll()
        .where("key_hash", "=", record.keyHash)
        .executeTakeFirstOrThrow();
      return rowToIdempotency(existing);
    });
  }

  async completeIdempotencyKey(input: {
    keyHash: string;
    responseStatus: number;
    responseCiphertext: string;
  }): Promise<void> {
    await this.#db
      .updateTable("idempotency_keys")
      .set({
        state: "COMPLETE",
        response_status: input.responseStatus,
        response_ciphertext: input.responseCiphertext,
      })
      .where("key_hash", "=", input.keyHash)
      .execute();
  }

  async releaseIdempotencyKey(keyHash: string): Promise<void> {
    await this.#db
      .deleteFrom("idempotency_keys")
      .where("key_hash", "=", keyHash)
      .where("state", "=", "PENDING")
      .execute();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}
