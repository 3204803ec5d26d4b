import { type LifecycleThresholds, lifecycleThresholds } from "../../src/domain/lifecycle-policy.ts";
import type {
  Account,
  AllowedOrigin,
  AuditEvent,
  ClientCertificate,
  Credential,
  SecretHash,
  ServiceToken,
} from "../../src/domain/types.ts";
import { DEFAULT_ACCOUNT_SECURITY } from "../../src/domain/types.ts";
import type { IdempotencyRecord, OnboardingLink } from "../../src/store/port.ts";

/* The records the contract's cases store: each made from a number, with the fields a case cares about overridden. */

const BASE_MS = Date.parse("2026-03-01T12:00:00.000Z");
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The base date plus an offset in milliseconds. */
export function at(offsetMs = 0): Date {
  return new Date(BASE_MS + offsetMs);
}

const hex12 = (n: number): string => n.toString(16).padStart(12, "0");

export function accountId(n: number): string {
  return `krn:partner:global:account:live:ABCD${String(n).padStart(4, "0")}`;
}

export function credentialId(n: number): string {
  return `0190a1b2-c3d4-7000-8000-${hex12(n)}`;
}

function linkId(n: number): string {
  return `0190a1b2-0000-7000-9000-${hex12(n)}`;
}

export function originId(n: number): string {
  return `0190a1b2-0a0a-7000-8000-${hex12(n)}`;
}

let eventSequence = 0;
/** Event ids grow with each call, so events made later sort after earlier ones at the same instant. */
function nextEventId(): string {
  eventSequence += 1;
  return `0190a1b2-eeee-7000-a000-${hex12(eventSequence)}`;
}

export function makeAccount(n: number, overrides: Partial<Account> = {}): Account {
  return {
    accountId: accountId(n),
    name: `Partner ${n}`,
    kind: "ACQUIRING_PARTNER",
    environment: "LIVE",
    parentAccountId: null,
    partnerAccountReference: null,
    createdAt: at(n * MINUTE),
    createdBy: "operator",
    security: DEFAULT_ACCOUNT_SECURITY,
    suspension: null,
    ...overrides,
  };
}

export function makeCredential(n: number, owner: string, overrides: Partial<Credential> = {}): Credential {
  return {
    credentialId: credentialId(n),
    accountId: owner,
    type: "API",
    environment: "LIVE",
    description: `Key ${n}`,
    status: "ACTIVE",
    statusReason: null,
    lookupId: `lookup${String(n).padStart(6, "0")}`,
    clientId: null,
    createdAt: at(n * MINUTE),
    createdBy: "operator",
    lastUsedAt: null,
    disabledAt: null,
    expiresAt: null,
    deletedAt: null,
    activityAt: at(n * MINUTE),
    rotatedFrom: null,
    rotatedTo: null,
    rotationEnd: null,
    permissions: null,
    ...overrides,
  };
}

export function makeClientCredential(
  n: number,
  owner: string,
  overrides: Partial<Credential> = {},
): Credential {
  return makeCredential(n, owner, { type: "CLIENT", clientId: `klarna_live_client_${n}`, ...overrides });
}

export function makeSecret(n: number): SecretHash {
  return { hash: `secret-hash-${n}`, pepperVersion: 3 };
}

export function makeAudit(owner: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: nextEventId(),
    accountId: owner,
    action: "test.event",
    actor: "operator",
    targetType: "ACCOUNT",
    targetId: owner,
    sourceIp: null,
    statusBefore: null,
    statusAfter: null,
    reason: null,
    occurredAt: at(0),
    ...overrides,
  };
}

export function makeCertificate(
  n: number,
  owner: string,
  overrides: Partial<ClientCertificate> = {},
): ClientCertificate {
  return {
    certificateId: `0190a1b2-cccc-7000-b000-${hex12(n)}`,
    accountId: owner,
    description: `Certificate ${n}`,
    serialNumber: `serial-${n}`,
    fingerprintSha256: `fingerprint-${n}`,
    certificatePem: `-----BEGIN CERTIFICATE-----\n${n}\n-----END CERTIFICATE-----`,
    notBefore: at(0),
    notAfter: at(365 * DAY),
    createdAt: at(n * MINUTE),
    revokedAt: null,
    ...overrides,
  };
}

export function makeLink(n: number, owner: string, overrides: Partial<OnboardingLink> = {}): OnboardingLink {
  return {
    linkId: linkId(n),
    accountId: owner,
    tokenHash: `token-hash-${n}`,
    createdAt: at(0),
    expiresAt: at(DAY),
    claimedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

export function makeIdempotency(
  keyHash: string,
  overrides: Partial<IdempotencyRecord> = {},
): IdempotencyRecord {
  return {
    keyHash,
    requestHash: "request-hash-1",
    state: "PENDING",
    resourceId: null,
    responseStatus: null,
    responseCiphertext: null,
    createdAt: at(0),
    expiresAt: at(DAY),
    ...overrides,
  };
}

export function makeOrigin(n: number, owner: string, origin: string): AllowedOrigin {
  return { originId: originId(n), accountId: owner, origin, scheme: "https", createdAt: at(n * MINUTE) };
}

export function makeServiceToken(n: number, overrides: Partial<ServiceToken> = {}): ServiceToken {
  return {
    serviceTokenId: `0190a1b2-5e5e-7000-8000-${hex12(n)}`,
    name: `gateway-${n}`,
    tokenHash: `${hex12(n)}`.padStart(64, "a"),
    createdAt: at(n * MINUTE),
    revokedAt: null,
    ...overrides,
  };
}

/**
 * Lifecycle thresholds as of `now`, under the policy the lifecycle cases assume: warn after 80 days
 * idle, disable after 90, delete after 180, and a rotation's old key retired after a quiet hour.
 */
export function thresholdsAt(now: Date): LifecycleThresholds {
  return lifecycleThresholds(
    {
      disableAfterMs: 90 * DAY,
      deleteAfterMs: 180 * DAY,
      warnBeforeMs: 10 * DAY,
      rotationQuietPeriodMs: HOUR,
    },
    now,
  );
}
