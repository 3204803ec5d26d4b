import type { Static } from "typebox";
import type { Account, AuditEvent, Credential } from "../domain/types.ts";
import type { AccountSchema } from "./schemas/account.ts";
import type { AuditEventSchema } from "./schemas/audit-event.ts";
import type { CredentialSchema } from "./schemas/credential.ts";

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
  };
}

export function presentAccount(a: Account): Static<typeof AccountSchema> {
  return {
    account_id: a.accountId,
    name: a.name,
    type: a.kind,
    environment: a.environment,
    parent_account_id: present(a.parentAccountId),
    partner_account_reference: present(a.partnerAccountReference),
    created_at: a.createdAt.toISOString(),
  };
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
  };
}
