import type { ChainedAuditEvent } from "../domain/audit-chain.ts";
import type { AuditEventFilter } from "../domain/audit-filter.ts";
import type { IpRestriction } from "../domain/ip-allow-list.ts";
import type { LifecycleThresholds } from "../domain/lifecycle-policy.ts";
import type { LifecycleRule } from "../domain/lifecycle-rules.ts";
import type { PagePosition } from "../domain/page-token.ts";
import type { RateLimitChanges } from "../domain/rate-limit-overrides.ts";
import type {
  Account,
  AccountKind,
  AllowedOrigin,
  AuditEvent,
  ClientCertificate,
  Credential,
  CredentialStatus,
  CredentialType,
  Environment,
  RotationEnd,
  SecretHash,
  ServiceToken,
  StatusReason,
} from "../domain/types.ts";
import type { AddressesSeenPort } from "./addresses-seen-port.ts";
import type { ConsolePort } from "./console-port.ts";
import type { WebhookPort } from "./webhook-port.ts";

export interface OnboardingLink {
  linkId: string;
  accountId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  claimedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewCredential {
  credential: Credential;
  /** Present for API keys only; Client IDs are public. */
  secret: SecretHash | null;
}

export interface CredentialForAuth {
  credential: Credential;
  secret: SecretHash | null;
}

export interface CredentialUse {
  credentialId: string;
  /** The credential's account: whose credential lists the write changes. */
  accountId: string;
  usedAt: Date;
  sourceIp: string | null;
}

export interface Page {
  after: PagePosition | null;
  limit: number;
}

export interface AuditEventQuery extends Page, AuditEventFilter {
  accountId: string;
}

export interface CredentialQuery extends Page {
  accountId: string;
  type?: CredentialType;
  environment?: Environment;
  /** Without a status filter, tombstones (DELETED) are left out unless `includeDeleted`. */
  status?: CredentialStatus;
  includeDeleted?: boolean;
}

/** What revoking a client certificate did. */
export type CertificateRevocation =
  | { outcome: "REVOKED"; certificate: ClientCertificate }
  /** Unknown, or revoked already: nothing changed. */
  | { outcome: "NOT_REVOCABLE" }
  /** Refused: the account enforces mTLS and this is its last usable certificate. */
  | { outcome: "WOULD_LOCK_OUT" };

export interface StatusChange {
  accountId: string;
  credentialId: string;
  at: Date;
  audit: AuditEvent;
}

/** A leak report of one credential, recorded once by the SHA-256 of the reported token. */
export interface LeakReport {
  tokenHash: string;
  accountId: string;
  credentialId: string;
  at: Date;
  /** ACTIVE → DISABLED (reason LEAKED) in the same transaction, with `disabledAudit`. */
  disable: boolean;
  /** `credential.disabled`, written only when the credential was ACTIVE and is disabled now. */
  disabledAudit: AuditEvent;
  /** `credential.leaked` (url, source, token hash), written with the first report. */
  leakedAudit: AuditEvent;
}

/**
 * What recording a leak report did. RECORDED: the first report of this token; `disabled` is the
 * credential it disabled (null: not asked to, or it was no longer ACTIVE). REPEATED: reported
 * before, nothing written.
 */
export type LeakReportOutcome =
  | { outcome: "RECORDED"; disabled: Credential | null }
  | { outcome: "REPEATED" };

export type ClaimOutcome =
  | { outcome: "CLAIMED" }
  | { outcome: "NOT_FOUND" | "ALREADY_USED" | "EXPIRED" | "SUPERSEDED" };

/** The lifecycle rules of DESIGN §5 (see the table in domain/), each applied as guarded updates. */
export { LIFECYCLE_RULES, type LifecycleRule } from "../domain/lifecycle-rules.ts";

/** What changing an account's rate-limit overrides did. */
export type RateLimitsChange =
  | { outcome: "CHANGED"; account: Account }
  /** Refused: the account would have more overrides than allowed; nothing changed. */
  | { outcome: "TOO_MANY" }
  | { outcome: "NOT_FOUND" };

export interface Rotation {
  accountId: string;
  credentialId: string;
  successor: NewCredential;
  expiresAt: Date;
  rotationEnd: RotationEnd;
  /** A zero overlap disables the old credential in the same transaction. */
  disableNow: boolean;
  at: Date;
  audit: AuditEvent[];
  idempotency?: IdempotencyMark;
}

/**
 * A change made under an idempotency key: the change's own transaction marks the key APPLIED, so
 * that a retry after a crash between the change and its answer can never apply it twice.
 */
export interface IdempotencyMark {
  keyHash: string;
  /** The reservation this change was made under; another one means the key was taken over. */
  reservedAt: Date;
  /** What the change created (a credential, an account, a certificate). */
  resourceId: string;
}

export interface IdempotencyRecord {
  keyHash: string;
  requestHash: string;
  /** PENDING: reserved; APPLIED: the change is done, its answer not yet kept; COMPLETE: answer kept. */
  state: "PENDING" | "APPLIED" | "COMPLETE";
  resourceId: string | null;
  responseStatus: number | null;
  /** The first response, encrypted under a key only the client's idempotency key can derive. */
  responseCiphertext: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * The persistence port. Methods are named for what the service means to do; every method that
 * changes more than one row runs as one transaction, and status changes are guarded updates
 * (they act only if the row is still in the expected state and report whether they acted).
 */
export interface Store extends WebhookPort, ConsolePort, AddressesSeenPort {
  createAccount(input: {
    account: Account;
    audit: AuditEvent[];
    link: OnboardingLink | null;
    idempotency?: IdempotencyMark;
  }): Promise<void>;
  findAccount(accountId: string): Promise<Account | null>;
  /** How many Partner Accounts an Acquiring Partner has. */
  countPartnerAccounts(parentAccountId: string): Promise<number>;
  listAccounts(
    query: Page & { parentAccountId?: string; kind?: AccountKind; environment?: Environment },
  ): Promise<Account[]>;
  /**
   * Accounts whose name or partner reference contains `text`, ASCII letters in either case (other
   * characters exactly, on both dialects), or whose id is `text`; newest first (keyset paged like
   * `listAccounts`). With `familyOf`, only that Acquiring Partner and its Partner Accounts.
   */
  searchAccounts(query: Page & { text: string; familyOf?: string }): Promise<Account[]>;
  /** Active → suspended, with its audit event; null when it was suspended already (or is unknown). */
  suspendAccount(input: {
    accountId: string;
    at: Date;
    reason: string | null;
    audit: AuditEvent;
  }): Promise<Account | null>;
  /** Suspended → active, with its audit event; null when it was not suspended (or is unknown). */
  resumeAccount(input: { accountId: string; audit: AuditEvent }): Promise<Account | null>;

  /** Invalidates every unclaimed link of the account and stores the new one. */
  replaceOnboardingLink(input: { link: OnboardingLink; audit: AuditEvent }): Promise<void>;
  findOnboardingLink(tokenHash: string): Promise<OnboardingLink | null>;
  /** Consumes the link and stores the initial credential, atomically; only the first claim wins. */
  claimOnboardingLink(input: {
    tokenHash: string;
    now: Date;
    initial: NewCredential;
    audit: AuditEvent[];
  }): Promise<ClaimOutcome>;

  /**
   * Stores a new credential with its audit event. With `activeAtMost`, only while the account holds
   * fewer ACTIVE credentials of the same type and environment (checked under the account's lock):
   * false, and nothing written, when it already holds that many.
   */
  insertCredential(
    input: NewCredential & { audit: AuditEvent; idempotency?: IdempotencyMark; activeAtMost?: number },
  ): Promise<boolean>;
  findCredentialByLookupId(lookupId: string): Promise<CredentialForAuth | null>;
  findCredential(accountId: string, credentialId: string): Promise<Credential | null>;
  /**
   * `findCredential` for showing the credential, not for changing it: a caching store may answer
   * from memory, as fresh as a credential list (see ListingCache).
   */
  viewCredential(accountId: string, credentialId: string): Promise<Credential | null>;
  listCredentials(query: CredentialQuery): Promise<Credential[]>;
  /**
   * `listCredentials` for showing the list, not for deciding a change: a caching store may answer
   * from memory (see ListingCache), with an array and credentials shared with other callers and
   * frozen, never to be changed.
   */
  viewCredentials(query: CredentialQuery): Promise<readonly Credential[]>;
  /** How many credentials the account holds in each status (tombstones still stored included). */
  countCredentialsByStatus(accountId: string): Promise<Record<CredentialStatus, number>>;
  updateCredentialDescription(input: {
    accountId: string;
    credentialId: string;
    description: string;
    audit: AuditEvent;
  }): Promise<Credential | null>;
  /** ACTIVE → DISABLED; null when the credential was not ACTIVE. */
  disableActiveCredential(input: StatusChange & { reason: StatusReason }): Promise<Credential | null>;
  /** DISABLED → ACTIVE; null when the credential was not DISABLED. */
  enableDisabledCredential(input: StatusChange): Promise<Credential | null>;
  /** Creates the successor and schedules the old credential's end, if it is ACTIVE and not rotating. */
  rotateCredential(rotation: Rotation): Promise<Credential | null>;
  /**
   * Credentials the rule applies to as of the thresholds, in the rule's index order (the instant
   * it compares, then id), strictly after `after` (the last candidate of the previous batch).
   */
  findLifecycleCandidates(input: {
    rule: LifecycleRule;
    thresholds: LifecycleThresholds;
    after: Credential | null;
    limit: number;
  }): Promise<Credential[]>;
  /**
   * Applies the rule, in one transaction, to each listed credential it still applies to (every
   * update guarded), with the audit event of each one changed; returns the changed credentials.
   */
  applyLifecycleRule(input: {
    rule: LifecycleRule;
    thresholds: LifecycleThresholds;
    changes: readonly { credentialId: string; audit: AuditEvent }[];
  }): Promise<Credential[]>;
  /** Batched last-use write: one statement per credential, never moves last_used_at backwards. */
  recordCredentialUses(uses: CredentialUse[]): Promise<void>;
  /**
   * Records a reported leak once per token hash and, in the same transaction, disables the
   * credential if asked and it is still ACTIVE (the guarded update of `disableActiveCredential`),
   * with its audit events; a token reported before writes nothing, unless it was only announced
   * (not asked to disable) and this report asks to disable: then the credential is disabled
   * (with `disabledAudit` alone) if it is still ACTIVE.
   */
  recordCredentialLeak(report: LeakReport): Promise<LeakReportOutcome>;

  /**
   * The account's events, newest first (ties by event id, descending), after `after`, narrowed by
   * the filter's fields that are present: `action` exactly or as a family (`credential` matches
   * `credential` and `credential.*`), `occurredFrom` inclusive, `occurredBefore` exclusive.
   */
  listAuditEvents(query: AuditEventQuery): Promise<AuditEvent[]>;
  /** The account's chained events in chain order (events from before the chain are left out). */
  readAuditChain(accountId: string): Promise<ChainedAuditEvent[]>;
  /** An event that belongs to no change of state (a refused authentication, say). */
  insertAuditEvent(event: AuditEvent): Promise<void>;

  /** Adds an origin unless the account already has it (then returns that one) or has 100. */
  insertAllowedOrigin(input: {
    origin: AllowedOrigin;
    max: number;
    audit: AuditEvent;
  }): Promise<
    { outcome: "INSERTED" } | { outcome: "DUPLICATE"; existing: AllowedOrigin } | { outcome: "FULL" }
  >;
  /** The account's origins, alphabetically. */
  listAllowedOrigins(accountId: string): Promise<AllowedOrigin[]>;
  deleteAllowedOrigin(input: { accountId: string; originId: string; audit: AuditEvent }): Promise<boolean>;
  /** Registrations (of any account) equal to one of the candidates: used to answer CORS preflights. */
  findAllowedOrigins(candidates: string[]): Promise<AllowedOrigin[]>;
  /**
   * Makes the changes (see `applyRateLimitChanges`) to the overrides the account holds, under the
   * account's lock, with the audit event: operators changing different categories at once each
   * keep their change.
   */
  changeRateLimits(input: {
    accountId: string;
    changes: RateLimitChanges;
    audit: AuditEvent;
  }): Promise<RateLimitsChange>;

  updateIpRestriction(input: {
    accountId: string;
    restriction: IpRestriction;
    audit: AuditEvent;
  }): Promise<Account>;
  /** Sets (or, with null, lifts) mTLS enforcement. */
  setMtlsEnforcement(input: {
    accountId: string;
    enforcedFrom: Date | null;
    audit: AuditEvent;
  }): Promise<Account>;
  /** Stores an issued certificate and marks the account as mTLS-enabled. */
  insertClientCertificate(input: {
    certificate: ClientCertificate;
    audit: AuditEvent;
    idempotency?: IdempotencyMark;
  }): Promise<void>;
  listClientCertificates(query: Page & { accountId: string }): Promise<ClientCertificate[]>;
  findClientCertificate(accountId: string, certificateId: string): Promise<ClientCertificate | null>;
  /** Whether the account has a certificate that is not revoked and valid at `now`. */
  hasUsableClientCertificate(accountId: string, now: Date): Promise<boolean>;
  /** How many of the account's certificates are not revoked and valid at `now`. */
  countUsableClientCertificates(accountId: string, now: Date): Promise<number>;
  findClientCertificateByFingerprint(fingerprintSha256: string): Promise<ClientCertificate | null>;
  /**
   * Revokes once. Unless `allowLockOut`, refuses (WOULD_LOCK_OUT) to revoke the last usable
   * certificate of an account that enforces mTLS now or from a scheduled time, judged under the
   * account's lock so that concurrent revocations cannot together leave it without one.
   */
  revokeClientCertificate(input: {
    accountId: string;
    certificateId: string;
    at: Date;
    allowLockOut: boolean;
    audit: AuditEvent;
  }): Promise<CertificateRevocation>;

  /**
   * Inserts a PENDING record, or returns the live one already held under that key hash. An expired
   * record, or a PENDING one created before `abandonedBefore` (its request died), is replaced.
   */
  reserveIdempotencyKey(record: IdempotencyRecord, abandonedBefore?: Date): Promise<IdempotencyRecord | null>;
  /** Removes every record expired by `now`; returns how many. */
  deleteExpiredIdempotencyKeys(now: Date): Promise<number>;
  completeIdempotencyKey(input: {
    keyHash: string;
    responseStatus: number;
    responseCiphertext: string;
  }): Promise<void>;
  releaseIdempotencyKey(keyHash: string): Promise<void>;

  /** Service tokens of the provider's own services (`/internal/*`), by the SHA-256 of the token. */
  insertServiceToken(token: ServiceToken): Promise<void>;
  findServiceTokenByHash(tokenHash: string): Promise<ServiceToken | null>;
  /** Newest first, revoked ones included. */
  listServiceTokens(): Promise<ServiceToken[]>;
  /** Marks the token revoked unless it already is; returns it as stored, or null when unknown. */
  revokeServiceToken(input: { serviceTokenId: string; revokedAt: Date }): Promise<ServiceToken | null>;

  /** Cheap round trip for readiness. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
