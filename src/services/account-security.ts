import { AppError, notFound } from "../domain/errors.ts";
import { accountShortId, newUuidV7 } from "../domain/identifiers.ts";
import {
  allowListMatcher,
  type IpEnforcementMode,
  type IpRestriction,
  NO_IP_RESTRICTION,
  parseAllowedIps,
} from "../domain/ip-allow-list.ts";
import {
  certificateUsable,
  enforcementAuditStatus,
  FORCED_LOCKOUT_REASON,
  type MtlsEnforcementStatus,
  mtlsEnforcementStatus,
  revocationLocksOut,
} from "../domain/mtls-lockout.ts";
import { type MtlsStatus, parseEnforcedFrom } from "../domain/mtls-policy.ts";
import type { Account, ClientCertificate } from "../domain/types.ts";
import type { SeenAddress } from "../store/addresses-seen-port.ts";
import type { AccessPolicy } from "./access-policy.ts";
import { auditEvent } from "./audit.ts";
import type { CertificateAuthority } from "./certificate-authority.ts";
import { fetchPage, type Paged } from "./paging.ts";
import { idempotencyMark, type RequestContext, type ServiceRuntime } from "./runtime.ts";

/** The caller's own view of the request it is making: needed to avoid locking itself out. */
export interface CallerTransport {
  /** The caller's own account; null for an operator, whom no account's settings lock out. */
  accountId: string | null;
  sourceIp: string;
  presentedCertificate: Buffer | string | null;
}

/** Whether a change to `account` can lock this caller out: only its own account's settings can. */
function isOwnAccount(account: Account, callerAccountId: string | null): boolean {
  return callerAccountId === account.accountId;
}

/**
 * An address requests to the account came from: when, how many, how many the allow-list in force
 * at the time denied, and what the list says of it now.
 */
export interface AddressSeen extends SeenAddress {
  /** Whether the list as it stands admits the address; null while the account has no list. */
  allowedNow: boolean | null;
}

/** IP allow-lists, mTLS enforcement and client certificates of an account. */
export class AccountSecurityService {
  readonly #runtime: ServiceRuntime;
  readonly #ca: CertificateAuthority;
  readonly #access: AccessPolicy;
  readonly #certificateValidityMs: number;

  constructor(
    runtime: ServiceRuntime,
    options: { ca: CertificateAuthority; access: AccessPolicy; certificateValidityMs: number },
  ) {
    this.#runtime = runtime;
    this.#ca = options.ca;
    this.#access = options.access;
    this.#certificateValidityMs = options.certificateValidityMs;
  }

  /**
   * Moving the caller's own account to ENFORCED is refused when the caller's address would be
   * locked out, unless forced. Another account's list (a Partner Account its Acquiring Partner
   * manages, or any account for an operator) cannot lock the caller out: never refused.
   */
  async setIpRestriction(
    account: Account,
    context: RequestContext,
    caller: CallerTransport,
    input: { mode: IpEnforcementMode; allowedIps: string[]; force: boolean },
  ): Promise<Account> {
    const allowedIps = parseAllowedIps(input.allowedIps);
    if (
      input.mode === "ENFORCED" &&
      !input.force &&
      isOwnAccount(account, caller.accountId) &&
      !allowListMatcher(allowedIps)(caller.sourceIp)
    ) {
      throw new AppError(
        "INVALID_STATE",
        `Your current address ${caller.sourceIp} is not in allowed_ips; enforcing would lock you out. Add it, or send "force": true`,
      );
    }
    return this.#writeIpRestriction(account, context, { mode: input.mode, allowedIps }, null);
  }

  /**
   * Enforcement needs a valid certificate on the account, and is never set in the past. Enforcing
   * the caller's own account at once is refused unless this very request presents a valid
   * certificate (or `force`), as the IP allow-list refuses to lock its caller out.
   */
  async enforceMtls(
    account: Account,
    context: RequestContext,
    input: {
      enforcedFrom: string;
      callerMtls: MtlsStatus | null;
      /** The caller's own account; null for an operator. */
      callerAccountId: string | null;
      force: boolean;
    },
  ): Promise<Account> {
    const now = this.#runtime.clock.now();
    const enforcedFrom = parseEnforcedFrom(input.enforcedFrom, now);
    if (!(await this.#runtime.store.hasUsableClientCertificate(account.accountId, now))) {
      throw new AppError(
        "INVALID_STATE",
        "The account has no valid client certificate; create one before enforcing mTLS",
      );
    }
    if (
      isOwnAccount(account, input.callerAccountId) &&
      !input.force &&
      enforcedFrom.getTime() <= now.getTime() &&
      input.callerMtls !== "VALID"
    ) {
      throw new AppError(
        "INVALID_STATE",
        'This request presents no valid client certificate: enforcing now would lock you out. Retry with your certificate, or send "force": true',
      );
    }
    // A time ahead is SCHEDULED, and the event names it: nothing is enforced yet.
    const after = enforcementAuditStatus(enforcedFrom, now);
    return this.#writeMtlsEnforcement(account, context, {
      enforcedFrom,
      action: "mtls_enforcement.set",
      statusBefore: mtlsEnforcementStatus(account.security.mtlsEnforcedFrom, now),
      statusAfter: after.status,
      reason: after.reason,
    });
  }

  /** Once enforcement has begun, only a caller with a VALID certificate may lift it. */
  async liftMtls(account: Account, context: RequestContext, callerMtls: MtlsStatus | null): Promise<Account> {
    const now = this.#runtime.clock.now();
    const before = mtlsEnforcementStatus(account.security.mtlsEnforcedFrom, now);
    if (before === "ENFORCED" && callerMtls !== "VALID") {
      throw new AppError(
        "MTLS_REQUIRED",
        "Lifting enforced mTLS requires a request with a valid client certificate",
      );
    }
    return this.#lift(account, context, before, null);
  }

  /**
   * Operator recovery: lifts enforcement (enforced or scheduled) without asking for a certificate,
   * so that a partner who lost its last one can call again. Certificates stay as they are. Lifting
   * an account that enforces nothing changes nothing and writes no event.
   */
  async liftMtlsForOperator(account: Account, context: RequestContext): Promise<Account> {
    const before = mtlsEnforcementStatus(account.security.mtlsEnforcedFrom, this.#runtime.clock.now());
    if (before === "NOT_ENFORCED") return account;
    return this.#lift(account, context, before, "operator recovery; client certificates kept");
  }

  /**
   * The IP allow-list report: the addresses requests with the account's keys came from in the last
   * 30 days (the most recently seen first, as of the last flush), each with its counts and judged
   * by the list as it stands: what to check before a REPORTING list is enforced.
   */
  async addressesSeen(account: Account, limit = 20): Promise<AddressSeen[]> {
    const { allowedIps } = account.security.ipRestriction;
    const allowed = allowListMatcher(allowedIps);
    const seen = await this.#runtime.store.listAddressesSeen(account.accountId, limit);
    return seen.map((address) => ({
      ...address,
      allowedNow: allowedIps.length === 0 ? null : allowed(address.address),
    }));
  }

  /**
   * Operator recovery: the IP allow-list back to NOT_ENABLED with no addresses, whoever the list
   * left out. An account without a restriction changes nothing and writes no event.
   */
  async resetIpRestriction(account: Account, context: RequestContext): Promise<Account> {
    const current = account.security.ipRestriction;
    if (current.mode === NO_IP_RESTRICTION.mode && current.allowedIps.length === 0) return account;
    return this.#writeIpRestriction(
      account,
      context,
      NO_IP_RESTRICTION,
      `operator reset; ${current.allowedIps.length} allowed address(es) removed`,
    );
  }

  /** Certificates of the account that requests can present now (not revoked, within validity). */
  countUsableCertificates(account: Account): Promise<number> {
    return this.#runtime.store.countUsableClientCertificates(account.accountId, this.#runtime.clock.now());
  }

  async issueCertificate(
    account: Account,
    context: RequestContext,
    input: { description: string; csrPem: string },
  ): Promise<ClientCertificate> {
    const notBefore = this.#runtime.clock.now();
    const issued = await this.#ca.signClientCsr({
      csrPem: input.csrPem,
      commonName: accountShortId(account.accountId),
      notBefore,
      notAfter: new Date(notBefore.getTime() + this.#certificateValidityMs),
    });
    const certificate: ClientCertificate = {
      certificateId: newUuidV7(this.#runtime.clock, this.#runtime.random),
      accountId: account.accountId,
      description: input.description,
      ...issued,
      createdAt: notBefore,
      revokedAt: null,
    };
    await this.#runtime.store.insertClientCertificate({
      certificate,
      idempotency: idempotencyMark(context, certificate.certificateId),
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "client_certificate.created",
        targetType: "CLIENT_CERTIFICATE",
        targetId: certificate.certificateId,
        statusAfter: "VALID",
      }),
    });
    return certificate;
  }

  listCertificates(
    account: Account,
    page: { pageSize: number; pageToken?: string },
  ): Promise<Paged<ClientCertificate>> {
    return fetchPage(
      page.pageSize,
      page.pageToken,
      (p) => this.#runtime.store.listClientCertificates({ accountId: account.accountId, ...p }),
      (c) => ({ at: c.createdAt, id: c.certificateId }),
    );
  }

  async getCertificate(account: Account, certificateId: string): Promise<ClientCertificate> {
    const found = await this.#runtime.store.findClientCertificate(account.accountId, certificateId);
    if (!found) throw notFound("Client certificate");
    return found;
  }

  /**
   * Revoking twice changes nothing and is not an error. Revoking the last valid certificate of an
   * account that enforces mTLS (now or from a scheduled time) would lock its requests out: refused
   * unless `force`, and a forced one says so in its audit event.
   */
  async revokeCertificate(
    account: Account,
    context: RequestContext,
    certificateId: string,
    options: { force: boolean },
  ): Promise<void> {
    const current = await this.getCertificate(account, certificateId);
    if (current.revokedAt !== null) return;
    const now = this.#runtime.clock.now();
    const usable = certificateUsable(current, now);
    const locksOut = revocationLocksOut({
      mtlsEnforcedFrom: account.security.mtlsEnforcedFrom,
      revokedIsUsable: usable,
      otherUsable: (await this.#runtime.store.countUsableClientCertificates(account.accountId, now)) - 1,
    });
    if (locksOut && !options.force) throw lockOutRefusal(account, now);
    const revocation = await this.#runtime.store.revokeClientCertificate({
      accountId: account.accountId,
      certificateId,
      at: now,
      // The store judges again under the account's lock: a concurrent revocation may have left
      // this one the last.
      allowLockOut: options.force,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "client_certificate.revoked",
        targetType: "CLIENT_CERTIFICATE",
        targetId: certificateId,
        statusBefore: usable ? "VALID" : "EXPIRED",
        statusAfter: "REVOKED",
        reason: locksOut ? FORCED_LOCKOUT_REASON : null,
      }),
    });
    if (revocation.outcome === "WOULD_LOCK_OUT") throw lockOutRefusal(account, now);
  }

  /** Writes the account's IP allow-list with its `ip_restriction.updated` event. */
  #writeIpRestriction(
    account: Account,
    context: RequestContext,
    restriction: IpRestriction,
    reason: string | null,
  ): Promise<Account> {
    return this.#runtime.store.updateIpRestriction({
      accountId: account.accountId,
      restriction,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "ip_restriction.updated",
        targetType: "ACCOUNT",
        targetId: account.accountId,
        statusBefore: account.security.ipRestriction.mode,
        statusAfter: restriction.mode,
        reason,
      }),
    });
  }

  /** Lifts mTLS enforcement (`before` is what it was) with its `mtls_enforcement.lifted` event. */
  #lift(
    account: Account,
    context: RequestContext,
    before: MtlsEnforcementStatus,
    reason: string | null,
  ): Promise<Account> {
    return this.#writeMtlsEnforcement(account, context, {
      enforcedFrom: null,
      action: "mtls_enforcement.lifted",
      statusBefore: before,
      statusAfter: "NOT_ENFORCED",
      reason,
    });
  }

  /** Writes the account's mTLS enforcement with the audit event that names the change. */
  #writeMtlsEnforcement(
    account: Account,
    context: RequestContext,
    change: {
      enforcedFrom: Date | null;
      action: "mtls_enforcement.set" | "mtls_enforcement.lifted";
      statusBefore: MtlsEnforcementStatus;
      statusAfter: MtlsEnforcementStatus;
      reason: string | null;
    },
  ): Promise<Account> {
    return this.#runtime.store.setMtlsEnforcement({
      accountId: account.accountId,
      enforcedFrom: change.enforcedFrom,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: change.action,
        targetType: "ACCOUNT",
        targetId: account.accountId,
        statusBefore: change.statusBefore,
        statusAfter: change.statusAfter,
        reason: change.reason,
      }),
    });
  }
}

function lockOutRefusal(account: Account, now: Date): AppError {
  const state =
    mtlsEnforcementStatus(account.security.mtlsEnforcedFrom, now) === "ENFORCED"
      ? "enforces"
      : "has scheduled";
  return new AppError(
    "INVALID_STATE",
    `This is the account's last valid client certificate and the account ${state} mTLS: revoking it would lock the account out. ` +
      'Create and use a new certificate first, or lift mTLS enforcement; to revoke anyway, send "force": true (or ?force=true)',
  );
}
