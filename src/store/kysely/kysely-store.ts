import { type Kysely, sql } from "kysely";
import type { ChainedAuditEvent } from "../../domain/audit-chain.ts";
import type { LifecycleThresholds } from "../../domain/lifecycle-policy.ts";
import type { Account, AuditEvent, Credential } from "../../domain/types.ts";
import type {
  ClaimOutcome,
  CredentialForAuth,
  CredentialQuery,
  CredentialUse,
  IdempotencyMark,
  LifecycleRule,
  NewCredential,
  OnboardingLink,
  Page,
  Rotation,
  StatusChange,
  Store,
} from "../port.ts";
import { KyselyAccountSecurityStore } from "./account-security-store.ts";
import { appendAudit } from "./audit-chain.ts";
import { markApplied } from "./idempotency-mark.ts";
import { keysetPage } from "./keyset.ts";
import { ruleApplies, ruleChange, ruleOrder } from "./lifecycle-rules.ts";
import {
  accountToRow,
  credentialToRow,
  iso,
  linkToRow,
  rowToAccount,
  rowToAudit,
  rowToCredential,
  rowToLink,
} from "./rows.ts";
import type { Database } from "./tables.ts";

/** The Store port over Kysely; dialect-specific set-up lives in the sqlite/ and postgres/ factories. */
export class KyselyStore extends KyselyAccountSecurityStore implements Store {
  readonly #afterClose: () => Promise<void>;

  /** `afterClose` runs once the connections are closed (a dialect's own helpers, say). */
  constructor(db: Kysely<Database>, options: { afterClose?: () => Promise<void> } = {}) {
    super(db);
    this.#afterClose = options.afterClose ?? (async () => undefined);
  }

  async createAccount(input: {
    account: Account;
    audit: AuditEvent[];
    link: OnboardingLink | null;
    idempotency?: IdempotencyMark;
  }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await markApplied(trx, input.idempotency);
      await trx.insertInto("accounts").values(accountToRow(input.account)).execute();
      if (input.link) await trx.insertInto("onboarding_links").values(linkToRow(input.link)).execute();
      if (input.audit.length > 0) {
        await appendAudit(trx, input.audit);
      }
    });
  }

  async findAccount(accountId: string): Promise<Account | null> {
    const row = await this.db
      .selectFrom("accounts")
      .selectAll()
      .where("account_id", "=", accountId)
      .executeTakeFirst();
    return row ? rowToAccount(row) : null;
  }

  async countPartnerAccounts(parentAccountId: string): Promise<number> {
    const row = await this.db
      .selectFrom("accounts")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("parent_account_id", "=", parentAccountId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async listAccounts(
    query: Page & { parentAccountId?: string; kind?: string; environment?: string },
  ): Promise<Account[]> {
    let q = this.db.selectFrom("accounts").selectAll();
    if (query.environment !== undefined) q = q.where("environment", "=", query.environment);
    if (query.parentAccountId !== undefined) q = q.where("parent_account_id", "=", query.parentAccountId);
    if (query.kind !== undefined) q = q.where("kind", "=", query.kind);
    const rows = await keysetPage(q, { at: "created_at", id: "account_id" }, query).execute();
    return rows.map(rowToAccount);
  }

  async replaceOnboardingLink(input: { link: OnboardingLink; audit: AuditEvent }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
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
  }

  async findOnboardingLink(tokenHash: string): Promise<OnboardingLink | null> {
    const row = await this.db
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
    return this.db.transaction().execute(async (trx): Promise<ClaimOutcome> => {
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
  }

  async insertCredential(
    input: NewCredential & { audit: AuditEvent; idempotency?: IdempotencyMark; activeAtMost?: number },
  ): Promise<boolean> {
    const { credential } = input;
    return this.db
      .transaction()
      .execute(async (trx) => {
        // The audit append locks the account row first, so concurrent creations count one at a time.
        await appendAudit(trx, input.audit);
        if (input.activeAtMost !== undefined) {
          const { active } = await trx
            .selectFrom("credentials")
            .select((eb) => eb.fn.countAll<number>().as("active"))
            .where("account_id", "=", credential.accountId)
            .where("type", "=", credential.type)
            .where("environment", "=", credential.environment)
            .where("status", "=", "ACTIVE")
            .executeTakeFirstOrThrow();
          // Rolls the audit event back with it.
          if (Number(active) >= input.activeAtMost) throw new CapReached();
        }
        await trx.insertInto("credentials").values(credentialToRow(credential, input.secret)).execute();
        await markApplied(trx, input.idempotency);
        return true;
      })
      .catch((error: unknown) => {
        if (error instanceof CapReached) return false;
        throw error;
      });
  }

  async findCredentialByLookupId(lookupId: string): Promise<CredentialForAuth | null> {
    const row = await this.db
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
    const row = await this.db
      .selectFrom("credentials")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("credential_id", "=", credentialId)
      .executeTakeFirst();
    return row ? rowToCredential(row) : null;
  }

  async listCredentials(query: CredentialQuery): Promise<Credential[]> {
    let q = this.db.selectFrom("credentials").selectAll().where("account_id", "=", query.accountId);
    if (query.type) q = q.where("type", "=", query.type);
    if (query.environment) q = q.where("environment", "=", query.environment);
    if (query.status) q = q.where("status", "=", query.status);
    else if (!query.includeDeleted) q = q.where("status", "!=", "DELETED");
    const rows = await keysetPage(q, { at: "created_at", id: "credential_id" }, query).execute();
    return rows.map(rowToCredential);
  }

  async updateCredentialDescription(input: {
    accountId: string;
    credentialId: string;
    description: string;
    audit: AuditEvent;
  }): Promise<Credential | null> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("credentials")
        .set({ description: input.description })
        .where("account_id", "=", input.accountId)
        .where("credential_id", "=", input.credentialId)
        .where("status", "!=", "DELETED")
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await appendAudit(trx, input.audit);
      return rowToCredential(row);
    });
  }

  async disableActiveCredential(input: StatusChange & { reason: string }): Promise<Credential | null> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("credentials")
        .set({ status: "DISABLED", status_reason: input.reason, disabled_at: iso(input.at) })
        .where("account_id", "=", input.accountId)
        .where("credential_id", "=", input.credentialId)
        .where("status", "=", "ACTIVE")
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await appendAudit(trx, input.audit);
      return rowToCredential(row);
    });
  }

  async enableDisabledCredential(input: StatusChange): Promise<Credential | null> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("credentials")
        .set({
          status: "ACTIVE",
          status_reason: null,
          disabled_at: null,
          expires_at: null,
          rotation_end: null,
          activity_at: iso(input.at),
          inactivity_warned_at: null,
        })
        .where("account_id", "=", input.accountId)
        .where("credential_id", "=", input.credentialId)
        .where("status", "=", "DISABLED")
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await appendAudit(trx, input.audit);
      return rowToCredential(row);
    });
  }

  async recordCredentialUses(uses: CredentialUse[]): Promise<void> {
    if (uses.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const use of uses) {
        const at = iso(use.usedAt);
        await trx
          .updateTable("credentials")
          .set({
            last_used_at: at,
            last_used_ip: use.sourceIp,
            activity_at: sql<string>`case when activity_at < ${at} then ${at} else activity_at end`,
          })
          .where("credential_id", "=", use.credentialId)
          .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)]))
          .execute();
      }
    });
  }

  async rotateCredential(rotation: Rotation): Promise<Credential | null> {
    return this.db.transaction().execute(async (trx) => {
      const at = iso(rotation.at);
      const old = await trx
        .updateTable("credentials")
        .set({
          rotated_to: rotation.successor.credential.credentialId,
          expires_at: iso(rotation.expiresAt),
          rotation_end: rotation.rotationEnd,
          ...(rotation.disableNow ? { status: "DISABLED", status_reason: "ROTATED", disabled_at: at } : {}),
        })
        .where("account_id", "=", rotation.accountId)
        .where("credential_id", "=", rotation.credentialId)
        .where("status", "=", "ACTIVE")
        .where("expires_at", "is", null)
        .returningAll()
        .executeTakeFirst();
      if (!old) return null;
      await trx
        .insertInto("credentials")
        .values(credentialToRow(rotation.successor.credential, rotation.successor.secret))
        .execute();
      await appendAudit(trx, rotation.audit);
      await markApplied(trx, rotation.idempotency);
      return rowToCredential(old);
    });
  }

  async findLifecycleCandidates(input: {
    rule: LifecycleRule;
    thresholds: LifecycleThresholds;
    after: Credential | null;
    limit: number;
  }): Promise<Credential[]> {
    const column = ruleOrder(input.rule);
    let q = this.db.selectFrom("credentials").selectAll().where(ruleApplies(input.rule, input.thresholds));
    const after = input.after;
    if (after !== null) {
      const at = column === "expires_at" ? after.expiresAt : after.activityAt;
      // A row-value comparison: a range on the (status, column, credential_id) index.
      if (at !== null)
        q = q.where(sql<boolean>`(${sql.ref(column)}, credential_id) > (${iso(at)}, ${after.credentialId})`);
    }
    const rows = await q.orderBy(column).orderBy("credential_id").limit(input.limit).execute();
    return rows.map(rowToCredential);
  }

  async applyLifecycleRule(input: {
    rule: LifecycleRule;
    thresholds: LifecycleThresholds;
    changes: readonly { credentialId: string; audit: AuditEvent }[];
  }): Promise<Credential[]> {
    if (input.changes.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
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
  }

  async readAuditChain(accountId: string): Promise<ChainedAuditEvent[]> {
    const rows = await this.db
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
  }

  async insertAuditEvent(event: AuditEvent): Promise<void> {
    await this.db.transaction().execute((trx) => appendAudit(trx, event));
  }

  async listAuditEvents(query: Page & { accountId: string }): Promise<AuditEvent[]> {
    const q = this.db.selectFrom("audit_events").selectAll().where("account_id", "=", query.accountId);
    const rows = await keysetPage(q, { at: "occurred_at", id: "event_id" }, query).execute();
    return rows.map(rowToAudit);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    await this.#afterClose();
  }
}

/** Unwinds a credential insert whose account already holds its cap of ACTIVE credentials. */
class CapReached extends Error {}
