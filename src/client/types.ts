/** Wire types of the Partner Management API, as the SDK returns them. */
export type Environment = "LIVE" | "TEST";
export type CredentialType = "API" | "CLIENT";
export type CredentialStatus = "ACTIVE" | "DISABLED" | "DELETED";

export interface Credential {
  credential_id: string;
  type: CredentialType;
  environment: Environment;
  description: string;
  status: CredentialStatus;
  status_reason?: string;
  created_at: string;
  created_by: string;
  last_used_at?: string;
  disabled_at?: string;
  expires_at?: string;
  deleted_at?: string;
  rotated_from?: string;
  rotated_to?: string;
  client_id?: string;
}

export interface CreatedCredential extends Credential {
  api_key?: string;
}

/** What every view of an account (the partner's, the operator's) shows besides its id. */
export interface AccountProfile {
  name: string;
  type: "ACQUIRING_PARTNER" | "PARTNER_ACCOUNT";
  environment: Environment;
  parent_account_id?: string;
  partner_account_reference?: string;
  created_at: string;
}

export interface Account extends AccountProfile {
  account_id: string;
  mtls_enforced_from?: string;
  /** Admin list only: the operator's mTLS policy names this account and it has not enforced mTLS. */
  mtls_enforcement_missing?: boolean;
}

export interface AuditEvent {
  event_id: string;
  action: string;
  actor: string;
  target_type: string;
  target_id: string;
  source_ip?: string;
  status_before?: string;
  status_after?: string;
  reason?: string;
  occurred_at: string;
}

export interface CreatedAccount extends Account {
  onboarding_url: string;
  expires_at: string;
}

export interface OnboardingLink {
  account_id: string;
  onboarding_url: string;
  expires_at: string;
}

/** A console user invited with a one-time link (shown once). */
export interface ConsoleInvitation {
  user_id: string;
  invitation_url: string;
  expires_at: string;
}

export type ConsoleAccountRole = "owner" | "developer" | "viewer";

/** A console user as the operator sees it (never a password hash, a TOTP secret or a code). */
export interface ConsoleUserRecord {
  user_id: string;
  /** null for operators. */
  account_id: string | null;
  email: string;
  role: ConsoleAccountRole | "operator";
  status: "INVITED" | "ACTIVE";
  second_factor: boolean;
  created_at: string;
  created_by: string;
  last_sign_in_at: string | null;
}

export interface Page {
  page_size?: number;
  page_token?: string;
}

export interface RateLimits {
  account_id: string;
  limits: Record<string, { limit: string; source: "default" | "override" }>;
}

/** A token of one of the provider's services, for `/internal/*` (the token itself only on creation). */
export interface ServiceToken {
  service_token_id: string;
  name: string;
  status: "ACTIVE" | "REVOKED";
  created_at: string;
  revoked_at?: string;
}

/** Whether an account's audit trail is intact (each event carries the hash of the one before). */
export interface AuditChainCheck {
  account_id: string;
  intact: boolean;
  checked: number;
  first_break?: { seq: number; event_id: string; problem: string };
}

export interface MtlsEnforcement {
  status: "NOT_ENFORCED" | "SCHEDULED" | "ENFORCED";
  enforced_from?: string;
  mtls_enabled: boolean;
}

export interface IpRestriction {
  enforcement_mode: "NOT_ENABLED" | "REPORTING" | "ENFORCED";
  allowed_ips: string[];
}

/** Whether an account is suspended, since when and why. */
export interface SuspensionState {
  status: "ACTIVE" | "SUSPENDED";
  suspended_at?: string;
  suspended_reason?: string;
}

/** Whether an account is suspended; `changed` is false when it already was as asked. */
export interface AccountSuspension extends SuspensionState {
  account_id: string;
  changed: boolean;
}

/** An account's settings as support sees them (`partnerctl admin accounts show`). */
export interface AdminAccount extends AccountProfile, SuspensionState {
  account_id: string;
  created_by: string;
  mtls: {
    enabled: boolean;
    status: MtlsEnforcement["status"];
    enforced_from?: string;
    enforced_now: boolean;
    scheduled: boolean;
    valid_certificates: number;
  };
  ip_restriction: IpRestriction;
  rate_limits: RateLimits["limits"];
  credentials: Record<CredentialStatus, number>;
}
