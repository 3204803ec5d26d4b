import type { AddressesSeenTables } from "./addresses-seen-tables.ts";
import type { ConsoleTables } from "./console-tables.ts";
import type { WebhookTables } from "./webhook-tables.ts";

/** Row shapes shared by both SQL dialects. Times are ISO 8601 UTC strings with milliseconds. */
export interface AccountsTable {
  account_id: string;
  name: string;
  kind: string;
  environment: string;
  parent_account_id: string | null;
  partner_account_reference: string | null;
  created_at: string;
  created_by: string;
  ip_enforcement_mode: string;
  ip_allowed: string;
  mtls_enforced_from: string | null;
  mtls_enabled: number;
  rate_limits: string;
  /** Set while an operator has suspended the account. */
  suspended_at: string | null;
  suspended_reason: string | null;
}

export interface AllowedOriginsTable {
  origin_id: string;
  account_id: string;
  origin: string;
  scheme: string;
  created_at: string;
}

export interface ClientCertificatesTable {
  certificate_id: string;
  account_id: string;
  description: string;
  serial_number: string;
  fingerprint_sha256: string;
  certificate_pem: string;
  not_before: string;
  not_after: string;
  created_at: string;
  revoked_at: string | null;
}

export interface CredentialsTable {
  credential_id: string;
  account_id: string;
  type: string;
  environment: string;
  description: string;
  status: string;
  status_reason: string | null;
  lookup_id: string;
  client_id: string | null;
  secret_hash: string | null;
  pepper_version: number | null;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  last_used_ip: string | null;
  disabled_at: string | null;
  expires_at: string | null;
  deleted_at: string | null;
  activity_at: string;
  inactivity_warned_at: string | null;
  rotated_from: string | null;
  rotated_to: string | null;
  rotation_end: string | null;
  /** JSON array of permissions; null: all. */
  permissions: string | null;
}

export interface OnboardingLinksTable {
  link_id: string;
  account_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  claimed_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  event_id: string;
  account_id: string;
  action: string;
  actor: string;
  target_type: string;
  target_id: string;
  source_ip: string | null;
  status_before: string | null;
  status_after: string | null;
  reason: string | null;
  occurred_at: string;
  /** JSON object of the event's details (a leak report's url, source, token hash), or null. */
  details: string | null;
  /** Place in the account's hash chain (null for events written before the chain existed). */
  seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface IdempotencyKeysTable {
  key_hash: string;
  request_hash: string;
  state: string;
  resource_id: string | null;
  response_status: number | null;
  response_ciphertext: string | null;
  created_at: string;
  expires_at: string;
}

export interface ServiceTokensTable {
  service_token_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/** Reported leaked tokens, by the SHA-256 of the token (never the token): a report acts once. */
export interface LeakReportsTable {
  token_hash: string;
  account_id: string;
  credential_id: string;
  /** What the first report did: DISABLED, NOTIFIED (LEAKED_KEY_ACTION=notify), or NONE (no longer active). */
  action: string;
  reported_at: string;
}

/** Every table; the lifecycle webhooks' are declared in webhook-tables.ts, the console's in console-tables.ts. */
export interface Database extends WebhookTables, ConsoleTables, AddressesSeenTables {
  accounts: AccountsTable;
  credentials: CredentialsTable;
  onboarding_links: OnboardingLinksTable;
  audit_events: AuditEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  client_certificates: ClientCertificatesTable;
  allowed_origins: AllowedOriginsTable;
  service_tokens: ServiceTokensTable;
  leak_reports: LeakReportsTable;
}
