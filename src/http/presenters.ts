import type { Static, TObject } from "typebox";
import { mtlsEnforcementStatus } from "../domain/mtls-lockout.ts";
import type { Account, AllowedOrigin, AuditEvent, ClientCertificate, Credential } from "../domain/types.ts";
import type { Paged } from "../services/paging.ts";
import { nextPageField } from "./paging.ts";
import type { AccountProfileFields, AccountSchema } from "./schemas/account.ts";
import type { AuditEventSchema } from "./schemas/audit-event.ts";
import type { CredentialPageSchema, CredentialSchema } from "./schemas/credential.ts";
import type {
  AllowedOriginSchema,
  ClientCertificateSchema,
  IpRestrictionSchema,
  MtlsEnforcementSchema,
} from "./schemas/security.ts";

/* Domain objects in wire shape: snake_case, ISO times, absent rather than null. */

const time = (date: Date | null): string | undefined => date?.toISOString();
const present = <T>(value: T | null): T | undefined => value ?? undefined;

export function presentCredential(c: Credential): Static<typeof CredentialSchema> {
  return {
    credential_id: c.credentialId,
    type: c.type,
    environment: c.environment,
    description: c.description,
    status: c.status,
    status_reason: present(c.statusReason),
    created_at: c.createdAt.toISOString(),
    created_by: c.createdBy,
    last_used_at: time(c.lastUsedAt),
    disabled_at: time(c.disabledAt),
    expires_at: time(c.expiresAt),
    deleted_at: time(c.deletedAt),
    rotated_from: present(c.rotatedFrom),
    rotated_to: present(c.rotatedTo),
    client_id: present(c.clientId),
    ...(c.permissions ? { permissions: [...c.permissions] } : {}),
  };
}

export function presentCredentialPage(page: Paged<Credential>): Static<typeof CredentialPageSchema> {
  return { credentials: page.items.map(presentCredential), ...nextPageField(page) };
}

/**
 * Each credential's JSON. A credential object is never changed in place, and a cached page of a
 * list hands every request the same (frozen) ones: each is presented and serialized once.
 */
const credentialJsonOf = new WeakMap<Credential, string>();

/** `presentCredential` as JSON text, made once per credential object. */
export function credentialJson(credential: Credential): string {
  let json = credentialJsonOf.get(credential);
  if (json === undefined) {
    json = JSON.stringify(presentCredential(credential));
    credentialJsonOf.set(credential, json);
  }
  return json;
}

/** The JSON text of whole pages shared through a cache (frozen, and without a next page). */
const pageJsonOf = new WeakMap<readonly Credential[], string>();

/**
 * `presentCredentialPage` as JSON text, made of each credential's JSON made once; a page a cache
 * shares (see Store.viewCredentials) is made once as a whole.
 */
export function credentialPageJson(page: Paged<Credential>): string {
  const shared = page.nextPageToken === null && Object.isFrozen(page.items);
  const known = shared ? pageJsonOf.get(page.items) : undefined;
  if (known !== undefined) return known;
  const items = new Array<string>(page.items.length);
  for (let i = 0; i < items.length; i++) items[i] = credentialJson(page.items[i] as Credential);
  const next = page.nextPageToken ? `,"next_page_token":${JSON.stringify(page.nextPageToken)}` : "";
  const json = `{"credentials":[${items.join(",")}]${next}}`;
  if (shared) pageJsonOf.set(page.items, json);
  return json;
}

/** The fields every view of an account shows after its id (`AccountProfileFields`). */
export function presentAccountProfile(a: Account): Static<TObject<typeof AccountProfileFields>> {
  return {
    name: a.name,
    type: a.kind,
    environment: a.environment,
    parent_account_id: present(a.parentAccountId),
    partner_account_reference: present(a.partnerAccountReference),
    created_at: a.createdAt.toISOString(),
  };
}

/**
 * An account is never changed in place (a change is a new object, and the verification cache
 * hands out the same one until then): each is presented once, and the frozen result reused.
 */
const presentedAccounts = new WeakMap<Account, Readonly<Static<typeof AccountSchema>>>();

export function presentAccount(a: Account): Readonly<Static<typeof AccountSchema>> {
  let presented = presentedAccounts.get(a);
  if (!presented) {
    presented = Object.freeze({
      account_id: a.accountId,
      ...presentAccountProfile(a),
      mtls_enforced_from: time(a.security.mtlsEnforcedFrom),
    });
    presentedAccounts.set(a, presented);
  }
  return presented;
}

export function presentIpRestriction(a: Account): Static<typeof IpRestrictionSchema> {
  return {
    enforcement_mode: a.security.ipRestriction.mode,
    allowed_ips: a.security.ipRestriction.allowedIps,
  };
}

export function presentMtlsEnforcement(a: Account, now: Date): Static<typeof MtlsEnforcementSchema> {
  const from = a.security.mtlsEnforcedFrom;
  return {
    status: mtlsEnforcementStatus(from, now),
    enforced_from: time(from),
    mtls_enabled: a.security.mtlsEnabled,
  };
}

export function presentCertificate(c: ClientCertificate, now: Date): Static<typeof ClientCertificateSchema> {
  const status = c.revokedAt ? "REVOKED" : c.notAfter.getTime() <= now.getTime() ? "EXPIRED" : "VALID";
  return {
    certificate_id: c.certificateId,
    description: c.description,
    status,
    serial_number: c.serialNumber,
    fingerprint_sha256: c.fingerprintSha256,
    not_before: c.notBefore.toISOString(),
    not_after: c.notAfter.toISOString(),
    created_at: c.createdAt.toISOString(),
    revoked_at: time(c.revokedAt),
    certificate: c.certificatePem,
  };
}

export function presentOrigin(o: AllowedOrigin): Static<typeof AllowedOriginSchema> {
  return { origin_id: o.originId, origin: o.origin, scheme: o.scheme, created_at: o.createdAt.toISOString() };
}

export function presentAuditEvent(e: AuditEvent): Static<typeof AuditEventSchema> {
  return {
    event_id: e.eventId,
    action: e.action,
    actor: e.actor,
    target_type: e.targetType,
    target_id: e.targetId,
    source_ip: present(e.sourceIp),
    status_before: present(e.statusBefore),
    status_after: present(e.statusAfter),
    reason: present(e.reason),
    occurred_at: e.occurredAt.toISOString(),
    ...(e.details ? { details: { ...e.details } } : {}),
  };
}
