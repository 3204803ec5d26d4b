import type { IpEnforcementMode } from "../../domain/ip-allow-list.ts";
import type {
  Account,
  AccountKind,
  AllowedOrigin,
  AuditDetails,
  AuditEvent,
  ClientCertificate,
  Credential,
  CredentialStatus,
  CredentialType,
  Environment,
  RotationEnd,
  StatusReason,
} from "../../domain/types.ts";
import type { IdempotencyRecord, OnboardingLink } from "../port.ts";
import type {
  AccountsTable,
  AllowedOriginsTable,
  AuditEventsTable,
  ClientCertificatesTable,
  CredentialsTable,
  IdempotencyKeysTable,
  OnboardingLinksTable,
} from "./tables.ts";

/** Mapping between domain objects and rows: the only place that knows both shapes. */
export const iso = (date: Date): string => date.toISOString();
const isoOrNull = (date: Date | null): string | null => (date ? date.toISOString() : null);
export const dateOrNull = (text: string | null): Date | null => (text ? new Date(text) : null);

export function accountToRow(a: Account): AccountsTable {
  return {
    account_id: a.accountId,
    name: a.name,
    kind: a.kind,
    environment: a.environment,
    parent_account_id: a.parentAccountId,
    partner_account_reference: a.partnerAccountReference,
    created_at: iso(a.createdAt),
    created_by: a.createdBy,
    ip_enforcement_mode: a.security.ipRestriction.mode,
    ip_allowed: JSON.stringify(a.security.ipRestriction.allowedIps),
    mtls_enforced_from: isoOrNull(a.security.mtlsEnforcedFrom),
    mtls_enabled: a.security.mtlsEnabled ? 1 : 0,
    rate_limits: JSON.stringify(a.security.rateLimits),
    suspended_at: isoOrNull(a.suspension?.at ?? null),
    suspended_reason: a.suspension?.reason ?? null,
  };
}

export function rowToAccount(r: AccountsTable): Account {
  return {
    accountId: r.account_id,
    name: r.name,
    kind: r.kind as AccountKind,
    environment: r.environment as Environment,
    parentAccountId: r.parent_account_id,
    partnerAccountReference: r.partner_account_reference,
    createdAt: new Date(r.created_at),
    createdBy: r.created_by,
    security: {
      ipRestriction: {
        mode: r.ip_enforcement_mode as IpEnforcementMode,
        allowedIps: JSON.parse(r.ip_allowed) as string[],
      },
      mtlsEnforcedFrom: dateOrNull(r.mtls_enforced_from),
      mtlsEnabled: Number(r.mtls_enabled) === 1,
      rateLimits: JSON.parse(r.rate_limits) as Record<string, string>,
    },
    suspension: r.suspended_at ? { at: new Date(r.suspended_at), reason: r.suspended_reason } : null,
  };
}

export function originToRow(o: AllowedOrigin): AllowedOriginsTable {
  return {
    origin_id: o.originId,
    account_id: o.accountId,
    origin: o.origin,
    scheme: o.scheme,
    created_at: iso(o.createdAt),
  };
}

export function rowToOrigin(r: AllowedOriginsTable): AllowedOrigin {
  return {
    originId: r.origin_id,
    accountId: r.account_id,
    origin: r.origin,
    scheme: r.scheme as AllowedOrigin["scheme"],
    createdAt: new Date(r.created_at),
  };
}

export function certificateToRow(c: ClientCertificate): ClientCertificatesTable {
  return {
    certificate_id: c.certificateId,
    account_id: c.accountId,
    description: c.description,
    serial_number: c.serialNumber,
    fingerprint_sha256: c.fingerprintSha256,
    certificate_pem: c.certificatePem,
    not_before: iso(c.notBefore),
    not_after: iso(c.notAfter),
    created_at: iso(c.createdAt),
    revoked_at: isoOrNull(c.revokedAt),
  };
}

export function rowToCertificate(r: ClientCertificatesTable): ClientCertificate {
  return {
    certificateId: r.certificate_id,
    accountId: r.account_id,
    description: r.description,
    serialNumber: r.serial_number,
    fingerprintSha256: r.fingerprint_sha256,
    certificatePem: r.certificate_pem,
    notBefore: new Date(r.not_before),
    notAfter: new Date(r.not_after),
    createdAt: new Date(r.created_at),
    revokedAt: dateOrNull(r.revoked_at),
  };
}

export function credentialToRow(
  c: Credential,
  secret: { hash: string; pepperVersion: number } | null,
): CredentialsTable {
  return {
    credential_id: c.credentialId,
    account_id: c.accountId,
    type: c.type,
    environment: c.environment,
    description: c.description,
    status: c.status,
    status_reason: c.statusReason,
    lookup_id: c.lookupId,
    client_id: c.clientId,
    secret_hash: secret?.hash ?? null,
    pepper_version: secret?.pepperVersion ?? null,
    created_at: iso(c.createdAt),
    created_by: c.createdBy,
    last_used_at: isoOrNull(c.lastUsedAt),
    last_used_ip: null,
    disabled_at: isoOrNull(c.disabledAt),
    expires_at: isoOrNull(c.expiresAt),
    deleted_at: isoOrNull(c.deletedAt),
    activity_at: iso(c.activityAt),
    inactivity_warned_at: null,
    rotated_from: c.rotatedFrom,
    rotated_to: c.rotatedTo,
    rotation_end: c.rotationEnd,
    permissions: c.permissions === null ? null : JSON.stringify(c.permissions),
  };
}

export function rowToCredential(r: CredentialsTable): Credential {
  return {
    credentialId: r.credential_id,
    accountId: r.account_id,
    type: r.type as CredentialType,
    environment: r.environment as Environment,
    description: r.description,
    status: r.status as CredentialStatus,
    statusReason: r.status_reason as StatusReason | null,
    lookupId: r.lookup_id,
    clientId: r.client_id,
    createdAt: new Date(r.created_at),
    createdBy: r.created_by,
    lastUsedAt: dateOrNull(r.last_used_at),
    disabledAt: dateOrNull(r.disabled_at),
    expiresAt: dateOrNull(r.expires_at),
    deletedAt: dateOrNull(r.deleted_at),
    activityAt: new Date(r.activity_at),
    rotatedFrom: r.rotated_from,
    rotatedTo: r.rotated_to,
    rotationEnd: r.rotation_end as RotationEnd | null,
    permissions: r.permissions === null ? null : (JSON.parse(r.permissions) as string[]),
  };
}

export function linkToRow(l: OnboardingLink): OnboardingLinksTable {
  return {
    link_id: l.linkId,
    account_id: l.accountId,
    token_hash: l.tokenHash,
    created_at: iso(l.createdAt),
    expires_at: iso(l.expiresAt),
    claimed_at: isoOrNull(l.claimedAt),
    revoked_at: isoOrNull(l.revokedAt),
  };
}

export function rowToLink(r: OnboardingLinksTable): OnboardingLink {
  return {
    linkId: r.link_id,
    accountId: r.account_id,
    tokenHash: r.token_hash,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    claimedAt: dateOrNull(r.claimed_at),
    revokedAt: dateOrNull(r.revoked_at),
  };
}

/** An event's own columns; its place in the chain is added by `appendAudit`. */
export function auditToRow(e: AuditEvent): Omit<AuditEventsTable, "seq" | "prev_hash" | "hash"> {
  return {
    event_id: e.eventId,
    account_id: e.accountId,
    action: e.action,
    actor: e.actor,
    target_type: e.targetType,
    target_id: e.targetId,
    source_ip: e.sourceIp,
    status_before: e.statusBefore,
    status_after: e.statusAfter,
    reason: e.reason,
    occurred_at: iso(e.occurredAt),
    details: e.details ? JSON.stringify(e.details) : null,
  };
}

export function rowToAudit(r: AuditEventsTable): AuditEvent {
  return {
    eventId: r.event_id,
    accountId: r.account_id,
    action: r.action,
    actor: r.actor,
    targetType: r.target_type as AuditEvent["targetType"],
    targetId: r.target_id,
    sourceIp: r.source_ip,
    statusBefore: r.status_before,
    statusAfter: r.status_after,
    reason: r.reason,
    occurredAt: new Date(r.occurred_at),
    ...(r.details === null || r.details === undefined
      ? {}
      : { details: JSON.parse(r.details) as AuditDetails }),
  };
}

export function idempotencyToRow(r: IdempotencyRecord): IdempotencyKeysTable {
  return {
    key_hash: r.keyHash,
    request_hash: r.requestHash,
    state: r.state,
    resource_id: r.resourceId,
    response_status: r.responseStatus,
    response_ciphertext: r.responseCiphertext,
    created_at: iso(r.createdAt),
    expires_at: iso(r.expiresAt),
  };
}

export function rowToIdempotency(r: IdempotencyKeysTable): IdempotencyRecord {
  return {
    keyHash: r.key_hash,
    requestHash: r.request_hash,
    state: r.state as IdempotencyRecord["state"],
    resourceId: r.resource_id,
    responseStatus: r.response_status,
    responseCiphertext: r.response_ciphertext,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
  };
}
