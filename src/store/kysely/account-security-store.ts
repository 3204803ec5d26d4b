import type { IpRestriction } from "../../domain/ip-allow-list.ts";
import { certificateUsable, revocationLocksOut } from "../../domain/mtls-lockout.ts";
import { applyRateLimitChanges, type RateLimitChanges } from "../../domain/rate-limit-overrides.ts";
import {
  type Account,
  type AllowedOrigin,
  type AuditEvent,
  type ClientCertificate,
  CREDENTIAL_STATUSES,
  type CredentialStatus,
} from "../../domain/types.ts";
import type { CertificateRevocation, IdempotencyMark, Page, RateLimitsChange } from "../port.ts";
import { appendAudit } from "./audit-chain.ts";
import { markApplied } from "./idempotency-mark.ts";
import { KyselyIdempotencyStore } from "./idempotency-store.ts";
import { keysetPage } from "./keyset.ts";
import { certificateToRow, iso, originToRow, rowToAccount, rowToCertificate, rowToOrigin } from "./rows.ts";
import type { Database } from "./tables.ts";

/**
 * The account-security half of the Kysely store: allowed origins, rate-limit overrides, IP
 * allow-lists, mTLS enforcement, client certificates, and suspension by an operator.
 */
export class KyselyAccountSecurityStore extends KyselyIdempotencyStore {
  async insertAllowedOrigin(input: {
    origin: AllowedOrigin;
    max: number;
    audit: AuditEvent;
  }): Promise<
    { outcome: "INSERTED" } | { outcome: "DUPLICATE"; existing: AllowedOrigin } | { outcome: "FULL" }
  > {
    return this.db.transaction().execute(async (trx) => {
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
  }

  async listAllowedOrigins(accountId: string): Promise<AllowedOrigin[]> {
    const rows = await this.db
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
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom("allowed_origins")
        .where("account_id", "=", input.accountId)
        .where("origin_id", "=", input.originId)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) return false;
      await appendAudit(trx, input.audit);
      return true;
    });
  }

  async findAllowedOrigins(candidates: string[]): Promise<AllowedOrigin[]> {
    if (candidates.length === 0) return [];
    const rows = await this.db
      .selectFrom("allowed_origins")
      .selectAll()
      .where("origin", "in", candidates)
      .limit(100)
      .execute();
    return rows.map(rowToOrigin);
  }

  async changeRateLimits(input: {
    accountId: string;
    changes: RateLimitChanges;
    audit: AuditEvent;
  }): Promise<RateLimitsChange> {
    return this.db.transaction().execute(async (trx): Promise<RateLimitsChange> => {
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
  }

  async updateIpRestriction(input: {
    accountId: string;
    restriction: IpRestriction;
    audit: AuditEvent;
  }): Promise<Account> {
    return this.updateAccount(
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
    return this.updateAccount(input.accountId, { mtls_enforced_from: enforcedFrom }, input.audit);
  }

  protected async updateAccount(
    accountId: string,
    change: Partial<Database["accounts"]>,
    audit: AuditEvent,
  ): Promise<Account> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable("accounts")
        .set(change)
        .where("account_id", "=", accountId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await appendAudit(trx, audit);
      return rowToAccount(row);
    });
  }

  async insertClientCertificate(input: {
    certificate: ClientCertificate;
    audit: AuditEvent;
    idempotency?: IdempotencyMark;
  }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await markApplied(trx, input.idempotency);
      await trx.insertInto("client_certificates").values(certificateToRow(input.certificate)).execute();
      await trx
        .updateTable("accounts")
        .set({ mtls_enabled: 1 })
        .where("account_id", "=", input.certificate.accountId)
        .execute();
      await appendAudit(trx, input.audit);
    });
  }

  async listClientCertificates(query: Page & { accountId: string }): Promise<ClientCertificate[]> {
    const q = this.db.selectFrom("client_certificates").selectAll().where("account_id", "=", query.accountId);
    const rows = await keysetPage(q, { at: "created_at", id: "certificate_id" }, query).execute();
    return rows.map(rowToCertificate);
  }

  async findClientCertificate(accountId: string, certificateId: string): Promise<ClientCertificate | null> {
    const row = await this.db
      .selectFrom("client_certificates")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("certificate_id", "=", certificateId)
      .executeTakeFirst();
    return row ? rowToCertificate(row) : null;
  }

  async hasUsableClientCertificate(accountId: string, now: Date): Promise<boolean> {
    const row = await this.db
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
    const row = await this.db
      .selectFrom("client_certificates")
      .selectAll()
      .where("fingerprint_sha256", "=", fingerprintSha256)
      .executeTakeFirst();
    return row ? rowToCertificate(row) : null;
  }

  async countUsableClientCertificates(accountId: string, now: Date): Promise<number> {
    const { usable } = await this.db
      .selectFrom("client_certificates")
      .select((eb) => eb.fn.countAll<number>().as("usable"))
      .where("account_id", "=", accountId)
      .where("revoked_at", "is", null)
      .where("not_before", "<=", iso(now))
      .where("not_after", ">", iso(now))
      .executeTakeFirstOrThrow();
    return Number(usable);
  }

  async revokeClientCertificate(input: {
    accountId: string;
    certificateId: string;
    at: Date;
    allowLockOut: boolean;
    audit: AuditEvent;
  }): Promise<CertificateRevocation> {
    const at = iso(input.at);
    return this.db.transaction().execute(async (trx): Promise<CertificateRevocation> => {
      // Touching the account row first takes its lock (as the audit append does): revocations of
      // one account's certificates run one after the other, each seeing what the one before did.
      const account = await trx
        .updateTable("accounts")
        .set((eb) => ({ account_id: eb.ref("account_id") }))
        .where("account_id", "=", input.accountId)
        .returning("mtls_enforced_from")
        .executeTakeFirst();
      const target = await trx
        .selectFrom("client_certificates")
        .selectAll()
        .where("account_id", "=", input.accountId)
        .where("certificate_id", "=", input.certificateId)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      if (!account || !target) return { outcome: "NOT_REVOCABLE" };
      if (!input.allowLockOut) {
        const { others } = await trx
          .selectFrom("client_certificates")
          .select((eb) => eb.fn.countAll<number>().as("others"))
          .where("account_id", "=", input.accountId)
          .where("certificate_id", "!=", input.certificateId)
          .where("revoked_at", "is", null)
          .where("not_before", "<=", at)
          .where("not_after", ">", at)
          .executeTakeFirstOrThrow();
        const locksOut = revocationLocksOut({
          mtlsEnforcedFrom: account.mtls_enforced_from ? new Date(account.mtls_enforced_from) : null,
          revokedIsUsable: certificateUsable(rowToCertificate(target), input.at),
          otherUsable: Number(others),
        });
        if (locksOut) return { outcome: "WOULD_LOCK_OUT" };
      }
      const row = await trx
        .updateTable("client_certificates")
        .set({ revoked_at: at })
        .where("account_id", "=", input.accountId)
        .where("certificate_id", "=", input.certificateId)
        .where("revoked_at", "is", null)
        .returningAll()
        .executeTakeFirst();
      if (!row) return { outcome: "NOT_REVOCABLE" };
      await appendAudit(trx, input.audit);
      return { outcome: "REVOKED", certificate: rowToCertificate(row) };
    });
  }

  async suspendAccount(input: {
    accountId: string;
    at: Date;
    reason: string | null;
    audit: AuditEvent;
  }): Promise<Account | null> {
    return this.db.transaction().execute(async (trx) => {
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
  }

  async resumeAccount(input: { accountId: string; audit: AuditEvent }): Promise<Account | null> {
    return this.db.transaction().execute(async (trx) => {
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
  }

  async countCredentialsByStatus(accountId: string): Promise<Record<CredentialStatus, number>> {
    const rows = await this.db
      .selectFrom("credentials")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("account_id", "=", accountId)
      .groupBy("status")
      .execute();
    const counts = Object.fromEntries(CREDENTIAL_STATUSES.map((status) => [status, 0])) as Record<
      CredentialStatus,
      number
    >;
    for (const row of rows) {
      if ((CREDENTIAL_STATUSES as readonly string[]).includes(row.status)) {
        counts[row.status as CredentialStatus] = Number(row.n);
      }
    }
    return counts;
  }
}
