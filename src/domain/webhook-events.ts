import type { AuditEvent } from "./types.ts";

/** The lifecycle events a partner can subscribe a webhook endpoint to. */
export const WEBHOOK_EVENT_TYPES = [
  "credential.created",
  "credential.disabled",
  "credential.enabled",
  "credential.rotated",
  "credential.rotation_ending",
  "credential.inactivity_warning",
  "credential.deleted",
  "credential.leaked",
  "certificate.expiring",
  "certificate.revoked",
  "mtls.enforcement_scheduled",
  "mtls.enforced",
  "ip_restriction.changed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by `POST …/webhooks/{id}/test` only; nobody subscribes to it. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** The audit actions of the time-based notices, recorded once by the notices job. */
export const NOTICE_ACTIONS = {
  rotationEnding: "credential.rotation_ending",
  certificateExpiring: "client_certificate.expiring",
  mtlsEnforced: "mtls_enforcement.enforced",
} as const;

/** Ids and facts only: never a secret. Names as on the wire (snake_case). */
export type WebhookData = Readonly<Record<string, string | number | null>>;

/** What one audit event tells subscribers: the type, its data, and (for once-only notices) its marker. */
export interface WebhookMessage {
  type: WebhookEventType;
  data: WebhookData;
  /** Marks the notice as given, so the notices job does not give it again. */
  noticeKey: string | null;
}

type Rule = (event: AuditEvent) => WebhookEventType | null;

const always =
  (type: WebhookEventType): Rule =>
  () =>
    type;

/**
 * Which audit action becomes which webhook event: the outbox is filled from the audit trail, in
 * the transaction that writes it, so a change and its event are committed (or rolled back)
 * together. An action absent from the table tells subscribers nothing.
 */
export const WEBHOOK_EVENTS_OF_AUDIT: Readonly<Record<string, Rule>> = {
  "credential.created": always("credential.created"),
  "credential.disabled": always("credential.disabled"),
  "credential.enabled": always("credential.enabled"),
  "credential.rotated": always("credential.rotated"),
  "credential.deleted": always("credential.deleted"),
  "credential.leaked": always("credential.leaked"),
  "credential.inactivity_warning": always("credential.inactivity_warning"),
  [NOTICE_ACTIONS.rotationEnding]: always("credential.rotation_ending"),
  [NOTICE_ACTIONS.certificateExpiring]: always("certificate.expiring"),
  "client_certificate.revoked": always("certificate.revoked"),
  // Enforcement from now is enforced at once; a time ahead is announced, and enforced (by the
  // notices job) when it comes.
  "mtls_enforcement.set": (event) =>
    event.statusAfter === "ENFORCED" ? "mtls.enforced" : "mtls.enforcement_scheduled",
  [NOTICE_ACTIONS.mtlsEnforced]: always("mtls.enforced"),
  "ip_restriction.updated": always("ip_restriction.changed"),
};

/** The wire name of the id an audit event's target carries. */
const TARGET_ID_NAMES: Readonly<Record<string, string>> = {
  CREDENTIAL: "credential_id",
  CLIENT_CERTIFICATE: "certificate_id",
};

/** `enforced from <iso>` / `scheduled from <iso>`, as the mTLS audit events state it. */
const ENFORCEMENT_REASON = /^(?:enforced|scheduled) from (\S+)$/;

/**
 * The webhook message of an audit event, or null when subscribers are not told of it. The data is
 * built from the event's ids, statuses, reason and details: what the audit trail holds, which never
 * holds a secret.
 */
export function webhookMessageOf(event: AuditEvent): WebhookMessage | null {
  const type = WEBHOOK_EVENTS_OF_AUDIT[event.action]?.(event) ?? null;
  if (type === null) return null;
  const data: Record<string, string | number | null> = { account_id: event.accountId };
  const idName = TARGET_ID_NAMES[event.targetType];
  if (idName) data[idName] = event.targetId;
  if (event.statusBefore !== null) data.status_before = event.statusBefore;
  if (event.statusAfter !== null) data.status_after = event.statusAfter;
  let noticeKey: string | null = null;
  const enforcement =
    event.action === "mtls_enforcement.set" ? ENFORCEMENT_REASON.exec(event.reason ?? "") : null;
  if (enforcement?.[1]) {
    data.enforced_from = enforcement[1];
    if (type === "mtls.enforced") noticeKey = mtlsEnforcedNoticeKey(event.accountId, enforcement[1]);
  } else if (event.reason !== null) {
    data.reason = event.reason;
  }
  for (const [name, value] of Object.entries(event.details ?? {})) data[name] = value;
  data.audit_event_id = event.eventId;
  return { type, data, noticeKey };
}

/**
 * The markers of the time-based notices, each given once: one per credential and rotation end, per
 * certificate and notice day, per account and enforcement instant. The store finds the candidates
 * not yet given by the same keys, so the formats are declared here once.
 */
export const NOTICE_KEY_PREFIXES = {
  rotationEnding: "credential.rotation_ending:",
  certificateExpiring: "certificate.expiring:",
  mtlsEnforced: "mtls.enforced:",
} as const;

export function rotationEndingNoticeKey(credentialId: string, expiresAtIso: string): string {
  return `${NOTICE_KEY_PREFIXES.rotationEnding}${credentialId}:${expiresAtIso}`;
}

export function certificateNoticeKey(certificateId: string, days: number): string {
  return `${NOTICE_KEY_PREFIXES.certificateExpiring}${certificateId}:${days}`;
}

export function mtlsEnforcedNoticeKey(accountId: string, enforcedFromIso: string): string {
  return `${NOTICE_KEY_PREFIXES.mtlsEnforced}${accountId}:${enforcedFromIso}`;
}

/** How many days before a certificate's `not_after` `certificate.expiring` is sent. */
export const CERTIFICATE_EXPIRY_NOTICE_DAYS = [30, 7] as const;

/** How long before a rotated key's `expires_at` `credential.rotation_ending` is sent. */
export const ROTATION_ENDING_NOTICE_MS = 60 * 60 * 1000;

const DAY_MS = 86_400_000;

/**
 * The notice a certificate is due, as of `now`: the smallest of the notice days at least as far
 * as its expiry (a certificate 20 days from expiry is due its 30-day notice), or null.
 */
export function certificateNoticeDays(notAfter: Date, now: Date): number | null {
  const left = notAfter.getTime() - now.getTime();
  if (left <= 0) return null;
  const due = CERTIFICATE_EXPIRY_NOTICE_DAYS.filter((days) => left <= days * DAY_MS);
  return due.length === 0 ? null : Math.min(...due);
}

/**
 * The ranges of `not_after` whose certificates are due each notice as of `now` (the same rule as
 * `certificateNoticeDays`): 7 days for (now, now + 7 d], 30 days for (now + 7 d, now + 30 d].
 */
export function certificateNoticeWindows(now: Date): { days: number; after: Date; until: Date }[] {
  const ascending = [...CERTIFICATE_EXPIRY_NOTICE_DAYS].sort((a, b) => a - b);
  return ascending.map((days, index) => ({
    days,
    after: new Date(now.getTime() + (index === 0 ? 0 : (ascending[index - 1] as number) * DAY_MS)),
    until: new Date(now.getTime() + days * DAY_MS),
  }));
}

/** The body a webhook delivers: `{"type","timestamp","data"}`. */
export function webhookPayload(type: string, at: Date, data: WebhookData): string {
  return JSON.stringify({ type, timestamp: at.toISOString(), data });
}
