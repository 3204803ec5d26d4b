/** The rows of the console's users: people, their invitations, sessions and recovery codes. */
export interface ConsoleUsersTable {
  user_id: string;
  /** null for the provider's operators. */
  account_id: string | null;
  /** Lower-cased; unique among users that are not REMOVED. */
  email: string;
  role: string;
  /** INVITED, ACTIVE or REMOVED. */
  status: string;
  /** argon2id (PHC string); null until the invitation is accepted. */
  password_hash: string | null;
  /** The TOTP secret, encrypted (never in clear); null until enrolled. */
  totp_ciphertext: string | null;
  /** The latest TOTP time step accepted: each step is accepted once. */
  totp_last_step: number | null;
  created_at: string;
  created_by: string;
  last_sign_in_at: string | null;
  removed_at: string | null;
}

/** One-time invitations: the SHA-256 of the token, never the token. */
export interface ConsoleInvitationsTable {
  invitation_id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

/** Server-side sessions: the SHA-256 of the cookie's token, never the token. */
export interface ConsoleSessionsTable {
  session_id: string;
  user_id: string;
  token_hash: string;
  /** ENROL, SECOND_FACTOR or SIGNED_IN. */
  stage: string;
  created_at: string;
  last_seen_at: string;
  ended_at: string | null;
  /** The TOTP secret offered while enrolling, encrypted. */
  pending_totp_ciphertext: string | null;
}

/** Recovery codes: the SHA-256 of each (with the user id), used once. */
export interface ConsoleRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface ConsoleTables {
  console_users: ConsoleUsersTable;
  console_invitations: ConsoleInvitationsTable;
  console_sessions: ConsoleSessionsTable;
  console_recovery_codes: ConsoleRecoveryCodesTable;
}
