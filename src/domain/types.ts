import { type IpRestriction, NO_IP_RESTRICTION } from "./ip-allow-list.ts";

export const ENVIRONMENTS = ["LIVE", "TEST"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const CREDENTIAL_TYPES = ["API", "CLIENT"] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export const CREDENTIAL_STATUSES = ["ACTIVE", "DISABLED", "DELETED"] as const;
export type CredentialStatus = (typeof CREDENTIAL_STATUSES)[number];

export const STATUS_REASONS = ["PARTNER", "OPERATOR", "INACTIVITY", "ROTATED", "LEAKED"] as const;
export type StatusReason = (typeof STATUS_REASONS)[number];

export const ACCOUNT_KINDS = ["ACQUIRING_PARTNER", "PARTNER_ACCOUNT"] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Who performed an action: a credential of the account tree, or operator staff. */
export type Actor =
  | { kind: "credential"; credentialId: string }
  /** Operator staff; named when signed in with a named operator token (`ADMIN_TOKENS_FILE`). */
  | { kind: "operator"; name?: string }
  /** A console user of an account, signed in with their password and second factor. */
  | { kind: "user"; userId: string; email: string }
  | { kind: "system" }
  /** Whoever presented a key that was refused. */
  | { kind: "anonymous" };

export function actorLabel(actor: Actor): string {
  if (actor.kind === "credential") return actor.credentialId;
  if (actor.kind === "operator" && actor.name) return `operator:${actor.name}`;
  if (actor.kind === "user") return `user:${actor.email}`;
  return actor.kind;
}

export const ROTATION_ENDS = ["AT_EXPIRY", "WHEN_OLD_KEY_IDLE"] as const;
export type RotationEnd = (typeof ROTATION_ENDS)[number];

/** What an account requires of every request made with its keys, beyond the key itself. */
export interface AccountSecurity {
  ipRestriction: IpRestriction;
  /** From this instant on, requests need a VALID client certificate; null: not enforced. */
  mtlsEnforcedFrom: Date | null;
  /** The account has been issued a client certificate: responses report the mTLS status. */
  mtlsEnabled: boolean;
  /** Operator overrides of the default rate limits, by category (`PARTNER_MANAGEMENT` → `100/1s`). */
  rateLimits: Readonly<Record<string, string>>;
}

export interface AllowedOrigin {
  originId: string;
  accountId: string;
  /** Normalised `host[:port]`, `*.host` or `*`. */
  origin: string;
  scheme: "http" | "https";
  createdAt: Date;
}

export const DEFAULT_ACCOUNT_SECURITY: AccountSecurity = Object.freeze({
  ipRestriction: NO_IP_RESTRICTION,
  mtlsEnforcedFrom: null,
  mtlsEnabled: false,
  rateLimits: {},
});

/** An operator's suspension: while it lasts, every key of the account is refused (401). */
export interface AccountSuspension {
  at: Date;
  reason: string | null;
}

export interface Account {
  accountId: string;
  name: string;
  kind: AccountKind;
  environment: Environment;
  parentAccountId: string | null;
  partnerAccountReference: string | null;
  createdAt: Date;
  createdBy: string;
  security: AccountSecurity;
  /** Set by an operator; credential statuses are left as they are, so resuming restores them. */
  suspension: AccountSuspension | null;
}

export interface ClientCertificate {
  certificateId: string;
  accountId: string;
  description: string;
  serialNumber: string;
  fingerprintSha256: string;
  certificatePem: string;
  notBefore: Date;
  notAfter: Date;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface Credential {
  credentialId: string;
  accountId: string;
  type: CredentialType;
  environment: Environment;
  description: string;
  status: CredentialStatus;
  statusReason: StatusReason | null;
  lookupId: string;
  /** Public Client ID (CLIENT type only). */
  clientId: string | null;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  disabledAt: Date | null;
  /** When a rotation's overlap ends; the credential is refused from then on. */
  expiresAt: Date | null;
  deletedAt: Date | null;
  /** Start of the inactivity clock: the latest of creation, reactivation and last use. */
  activityAt: Date;
  rotatedFrom: string | null;
  rotatedTo: string | null;
  rotationEnd: RotationEnd | null;
  /** What the key may do (see domain/permissions.ts); null: everything, as in the reference API. */
  permissions: readonly string[] | null;
}

/** What the store keeps to verify an API key: never the key itself. */
export interface SecretHash {
  hash: string;
  pepperVersion: number;
}

export const AUDIT_TARGET_TYPES = [
  "ACCOUNT",
  "CREDENTIAL",
  "ONBOARDING_LINK",
  "CLIENT_CERTIFICATE",
  "ALLOWED_ORIGIN",
  "WEBHOOK_ENDPOINT",
  "CONSOLE_USER",
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

export interface AuditEvent {
  eventId: string;
  accountId: string;
  action: string;
  actor: string;
  targetType: AuditTargetType;
  targetId: string;
  sourceIp: string | null;
  statusBefore: string | null;
  statusAfter: string | null;
  reason: string | null;
  occurredAt: Date;
  /**
   * Facts of the event beyond its columns (a leak report's `url`, `source` and `token_hash`, say);
   * never a secret. Absent or null on most events.
   */
  details?: AuditDetails | null;
}

/** An audit event's extra facts: names to plain text. */
export type AuditDetails = Readonly<Record<string, string>>;

/** A token with which one of the provider's services calls `/internal/*`; only its hash is kept. */
export interface ServiceToken {
  serviceTokenId: string;
  name: string;
  /** SHA-256 (hex) of the token. */
  tokenHash: string;
  createdAt: Date;
  revokedAt: Date | null;
}
