import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from "kysely";
import type { IpRestriction } from "../../domain/ip-allow-list.ts";
import type { LifecycleThresholds } from "../../domain/lifecycle-policy.ts";
import type { PagePosition } from "../../domain/page-token.ts";
import type {
  Account,
  AllowedOrigin,
  AuditEvent,
  ClientCertificate,
  Credential,
} from "../../domain/types.ts";
import type {
  ClaimOutcome,
  CredentialForAuth,
  CredentialQuery,
  CredentialUse,
  IdempotencyRecord,
  LifecycleRule,
  NewCredential,
  OnboardingLink,
  Page,
  Rotation,
  StatusChange,
  Store,
} from "../port.ts";
import {
  accountToRow,
  auditToRow,
  certificateToRow,
  credentialToRow,
  idempotencyToRow,
  iso,
  linkToRow,
  originToRow,
  rowToAccount,
  rowToAudit,
  rowToCertificate,
  rowToCredential,
  rowToIdempotency,
  rowToLink,
  rowToOrigin,
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

type CredentialFilter = (eb: ExpressionBuilder<Database, "credentials">) => Expression<SqlBool>;
type CredentialChange = Partial<Database["credentials"]>;

/** When a lifecycle rule applies to a credential: used both to find candidates and to guard the update. */
function ruleApplies(rule: LifecycleRule, t: LifecycleThresholds): CredentialFilter {
  const now = iso(t.now);
  switch (rule) {
    case "ROTATION_EXPIRED":
      return (eb) =>
        eb.and([eb("status", "=", "ACTIVE"), eb("expires_at", "is not", null), eb("expires_at", "<=", now)]);
    case "ROTATION_OLD_KEY_IDLE":
      return (eb) =>
        eb.and([
          eb("status", "=", "ACTIVE"),
          eb("rotation_end", "=", "WHEN_OLD_KEY_IDLE"),
          eb("expires_at", ">", now),
          eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", iso(t.quietSince))]),
          eb.exists(
            eb
              .selectFrom("credentials as successor")
              .select(sql`1`.as("one"))
              .whereRef("successor.credential_id", "=", "credentials.rotated_to")
              .where("successor.last_used_at", "is not", null),
          ),
        ]);
    case "INACTIVITY_WARNING":
      return (eb) =>
        eb.and([
          eb("status", "=", "ACTIVE"),
          eb("activity_at", "<=", iso(t.warnIdleSince)),
          eb("activity_at", ">=", iso(t.disableIdleSince)),
          eb.or([
            eb("inactivity_warned_at", "is", null),
            eb("inactivity_warned_at", "<", eb.ref("activity_at")),
          ]),
        ]);
    case "INACTIVITY_DISABLE":
      return (eb) => eb.and([eb("status", "=", "ACTIVE"), eb("activity_at", "<", iso(t.disableIdleSince))]);
    case "INACTIVITY_DELETE":
      return (eb) => eb.and([eb("status", "=", "DISABLED"), eb("activity_at", "<", iso(t.deleteIdleSince))]);
  }
}

/** What applying a lifecycle rule changes. Deletion wipes the hash and leaves a tombstone. */
function ruleChange(rule: LifecycleRule, t: LifecycleThresholds): CredentialChange {
  const now = iso(t.now);
  switch (rule) {
    case "ROTATION_EXPIRED":
    case "ROTATION_OLD_KEY_IDLE":
      return { status: "DISABLED", status_reason: "ROTATED", disabled_at: now };
    case "INACTIVITY_WARNING":
      return { inactivity_warned_at: now };
    case "INACTIVITY_DISABLE":
      return { status: "DISABLED", status_reason: "INACTIVITY", disabled_at: now };
    case "INACTIVITY_DELETE":
      return {
        status: "DELETED",
        status_reason: "INACTIVITY",
        deleted_at: now,
        secret_hash: null,
        pepper_version: null,
        client_id: null,
      };
  }
}

/** The Store port over Kysely; dialect-specific set-up lives in the sqlite/ and postgres/ factories. */
export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async createAccount(input: {
    account: Account;
    audit: AuditEvent[];
    link: OnboardingLink | null;
  }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.insertInto("accounts").values(accountToRow(input.account)).execute();
      if (input.link) await trx.insertInto("onboarding_links").values(linkToRow(input.link)).execute();
      if (input.audit.length > 0) {
        await trx.insertInto("audit_events").values(input.audit.map(auditToRow)).execute();
      }
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

  async insertAllowedOrigin(input: {
    origin: AllowedOrigin;
    max: number;
    audit: AuditEvent;
  }): Promise<
    { outcome: "INSERTED" } | { outcome: "DUPLICATE"; existing: AllowedOrigin } | { outcome: "FULL" }
  > {
    return this.#db.transaction().execute(async (trx) => {
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
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
      return { outcome: "INSERTED" as const };
    });
  }

  async listAllowedOrigins(accountId: string): Promise<AllowedOrigin[]> {
    const rows = await this.#db
      .selectFrom("allowed_origins")
      .selectAll()
      .where("account_id", "=", accountId)
      .orderBy("origin")
      .execute();
    return rows.map(rowToOrigin);
  }

  async deleteAllowedOrigin(input: {
    accountId: string;
    originId: string;
    audit: AuditEvent;
  }): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom("allowed_origins")
        .where("account_id", "=", input.accountId)
        .where("origin_id", "=", input.originId)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) return false;
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
      return true;
    });
  }

  async findAllowedOrigins(candidates: string[]): Promise<AllowedOrigin[]> {
    if (candidates.length === 0) return [];
    const rows = await this.#db
      .selectFrom("allowed_origins")
      .selectAll()
      .where("origin", "in", candidates)
      .limit(100)
      .execute();
    return rows.map(rowToOrigin);
  }

  async setRateLimits(input: {
    accountId: string;
    rateLimits: Record<string, string>;
    audit: AuditEvent;
  }): Promise<Account> {
    return this.#updateAccount(
      input.accountId,
      { rate_limits: JSON.stringify(input.rateLimits) },
      input.audit,
    );
  }

  async updateIpRestriction(input: {
    accountId: string;
    restriction: IpRestriction;
    audit: AuditEvent;
  }): Promise<Account> {
    return this.#updateAccount(
      input.accountId,
      {
        ip_enforcement_mode: input.restriction.mode,
        ip_allowed: JSON.stringify(input.restriction.allowedIps),
      },
      input.audit,
    );
  }

  async setMtlsEnforcement(input: {
    accountId: string;
    enforcedFrom: Date | null;
    audit: AuditEvent;
  }): Promise<Account> {
    const enforcedFrom = input.enforcedFrom ? iso(input.enforcedFrom) : null;
    return this.#updateAccount(input.accountId, { mtls_enforced_from: enforcedFrom }, input.audit);
  }

  async #updateAccount(
    accountId: string,
    change: Partial<Database["accounts"]>,
    audit: AuditEvent,
  ): Promise<Account> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("accounts")
        .set(change)
        .where("account_id", "=", accountId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto("audit_events").values(auditToRow(audit)).execute();
      return rowToAccount(row);
    });
  }

  async insertClientCertificate(input: { certificate: ClientCertificate; audit: AuditEvent }): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.insertInto("client_certificates").values(certificateToRow(input.certificate)).execute();
      await trx
        .updateTable("accounts")
        .set({ mtls_enabled: 1 })
        .where("account_id", "=", input.certificate.accountId)
        .execute();
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
    });
  }

  async listClientCertificates(query: Page & { accountId: string }): Promise<ClientCertificate[]> {
    const q = this.#db
      .selectFrom("client_certificates")
      .selectAll()
      .where("account_id", "=", query.accountId);
    const rows = await keysetPage(q, { at: "created_at", id: "certificate_id" }, query).execute();
    return rows.map(rowToCertificate);
  }

  async findClientCertificate(accountId: string, certificateId: string): Promise<ClientCertificate | null> {
    const row = await this.#db
      .selectFrom("client_certificates")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("certificate_id", "=", certificateId)
      .executeTakeFirst();
    return row ? rowToCertificate(row) : null;
  }

  async hasUsableClientCertificate(accountId: string, now: Date): Promise<boolean> {
    const row = await this.#db
      .selectFrom("client_certificates")
      .select("certificate_id")
      .where("account_id", "=", accountId)
      .where("revoked_at", "is", null)
      .where("not_before", "<=", iso(now))
      .where("not_after", ">", iso(now))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async findClientCertificateByFingerprint(fingerprintSha256: string): Promise<ClientCertificate | null> {
    const row = await this.#db
      .selectFrom("client_certificates")
      .selectAll()
      .where("fingerprint_sha256", "=", fingerprintSha256)
      .executeTakeFirst();
    return row ? rowToCertificate(row) : null;
  }

  async revokeClientCertificate(input: {
    accountId: string;
    certificateId: string;
    at: Date;
    audit: AuditEvent;
  }): Promise<ClientCertificate | null> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("client_certificates")
        .set({ revoked_at: iso(input.at) })
        .where("account_id", "=", input.accountId)
        .where("certificate_id", "=", input.certificateId)
        .where("revoked_at", "is", null)
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
      return rowToCertificate(row);
    });
  }

  async rotateCredential(rotation: Rotation): Promise<Credential | null> {
    return this.#db.transaction().execute(async (trx) => {
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
      await trx.insertInto("audit_events").values(rotation.audit.map(auditToRow)).execute();
      return rowToCredential(old);
    });
  }

  async findLifecycleCandidates(input: {
    rule: LifecycleRule;
    thresholds: LifecycleThresholds;
    afterId: string | null;
    limit: number;
  }): Promise<Credential[]> {
    let q = this.#db.selectFrom("credentials").selectAll().where(ruleApplies(input.rule, input.thresholds));
    if (input.afterId !== null) q = q.where("credential_id", ">", input.afterId);
    const rows = await q.orderBy("credential_id").limit(input.limit).execute();
    return rows.map(rowToCredential);
  }

  async applyLifecycleRule(input: {
    rule: LifecycleRule;
    thresholds: LifecycleThresholds;
    credentialId: string;
    audit: AuditEvent;
  }): Promise<Credential | null> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("credentials")
        .set(ruleChange(input.rule, input.thresholds))
        .where("credential_id", "=", input.credentialId)
        .where(ruleApplies(input.rule, input.thresholds))
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await trx.insertInto("audit_events").values(auditToRow(input.audit)).execute();
      return rowToCredential(row);
    });
  }

  async listAuditEvents(query: Page & { accountId: string }): Promise<AuditEvent[]> {
    const q = this.#db.selectFrom("audit_events").selectAll().where("account_id", "=", query.accountId);
    const rows = await keysetPage(q, { at: "occurred_at", id: "event_id" }, query).execute();
    return rows.map(rowToAudit);
  }

  async reserveIdempotencyKey(
    record: IdempotencyRecord,
    abandonedBefore?: Date,
  ): Promise<IdempotencyRecord | null> {
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom("idempotency_keys")
        .where("key_hash", "=", record.keyHash)
        .where((eb) =>
          eb.or([
            eb("expires_at", "<=", iso(record.createdAt)),
            ...(abandonedBefore
              ? [eb.and([eb("state", "=", "PENDING"), eb("created_at", "<", iso(abandonedBefore))])]
              : []),
          ]),
        )
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

  async deleteExpiredIdempotencyKeys(now: Date): Promise<number> {
    const result = await this.#db
      .deleteFrom("idempotency_keys")
      .where("expires_at", "<=", iso(now))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
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
