import type { ConsoleRole } from "../domain/console-roles.ts";
import type { ConsoleUser, SessionStage } from "../domain/console-user.ts";
import type { AuditEvent } from "../domain/types.ts";

/** A console user with what signing in checks: never a password, a TOTP secret or a code in clear. */
export interface StoredConsoleUser extends ConsoleUser {
  /** argon2id (PHC string); null until the invitation is accepted. */
  passwordHash: string | null;
  /** The TOTP secret, encrypted; null until enrolled (then `secondFactor` is true). */
  totpCiphertext: string | null;
  /** The latest TOTP time step accepted: a code of this step or an earlier one is refused. */
  totpLastStep: number | null;
}

/** A one-time invitation: only the SHA-256 of its token is stored. */
export interface ConsoleInvitation {
  invitationId: string;
  userId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

/** A server-side session: only the SHA-256 of its token is stored. */
export interface StoredConsoleSession {
  sessionId: string;
  userId: string;
  tokenHash: string;
  stage: SessionStage;
  createdAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
  /** The TOTP secret offered while enrolling (encrypted), until the first code confirms it. */
  pendingTotpCiphertext: string | null;
}

export type InvitationAcceptance =
  | { outcome: "ACCEPTED"; user: StoredConsoleUser }
  | { outcome: "NOT_FOUND" | "ALREADY_USED" | "EXPIRED" | "SUPERSEDED" };

/** What changing or removing a user of an account did. */
export type ConsoleUserChange =
  | { outcome: "CHANGED"; user: StoredConsoleUser }
  | { outcome: "NOT_FOUND" }
  /** Refused: the user is the account's last ACTIVE owner. */
  | { outcome: "LAST_OWNER" };

/** The console users' part of the Store port (see `Store`). */
export interface ConsolePort {
  /**
   * Stores an invited user with its invitation (and audit event, when it has an account), unless a
   * user with that email exists already and is not REMOVED: then false, and nothing written.
   */
  insertConsoleUser(input: {
    user: ConsoleUser;
    invitation: ConsoleInvitation;
    audit: AuditEvent | null;
  }): Promise<boolean>;
  /**
   * A new invitation for a user still INVITED (its role set anew); every earlier unaccepted one is
   * revoked. Null when the user is not INVITED (accepted or removed meanwhile) or unknown.
   */
  reinviteConsoleUser(input: {
    userId: string;
    role: ConsoleRole;
    invitation: ConsoleInvitation;
    audit: AuditEvent | null;
  }): Promise<StoredConsoleUser | null>;
  /** The invitation with that token hash, and its user. */
  findConsoleInvitation(
    tokenHash: string,
  ): Promise<{ invitation: ConsoleInvitation; user: StoredConsoleUser } | null>;
  /**
   * Consumes the invitation, sets the password and makes the user ACTIVE, and starts `session`, in
   * one transaction; only the first acceptance wins.
   */
  acceptConsoleInvitation(input: {
    tokenHash: string;
    now: Date;
    passwordHash: string;
    session: StoredConsoleSession;
    audit: AuditEvent | null;
  }): Promise<InvitationAcceptance>;
  findConsoleUser(userId: string): Promise<StoredConsoleUser | null>;
  /** The user with that (lower-cased) email that is not REMOVED. */
  findConsoleUserByEmail(email: string): Promise<StoredConsoleUser | null>;
  /** The account's users that are not REMOVED, oldest first. */
  listConsoleUsers(accountId: string): Promise<StoredConsoleUser[]>;
  /** The operators (users of no account) that are not REMOVED, oldest first. */
  listConsoleOperators(): Promise<StoredConsoleUser[]>;

  insertConsoleSession(session: StoredConsoleSession): Promise<void>;
  /** The session with that token hash, ended or not, and its user. */
  findConsoleSession(
    tokenHash: string,
  ): Promise<{ session: StoredConsoleSession; user: StoredConsoleUser } | null>;
  /** Moves the session's last activity forward (never back). */
  touchConsoleSession(input: { sessionId: string; at: Date }): Promise<void>;
  /** Keeps the TOTP secret offered to a session that is enrolling. */
  offerConsoleTotp(input: { sessionId: string; ciphertext: string }): Promise<void>;
  /**
   * Ends a session and starts its successor (a new token for a new stage), unless it had ended
   * already: then false. A SIGNED_IN successor records the user's sign-in time.
   */
  replaceConsoleSession(input: {
    endedSessionId: string;
    at: Date;
    session: StoredConsoleSession;
    audit: AuditEvent | null;
  }): Promise<boolean>;
  /**
   * Enrols the second factor: the TOTP secret (with the step of the code that confirmed it), the
   * recovery codes' hashes replacing any earlier ones, and the session replaced as
   * `replaceConsoleSession` does; false, and nothing written, when that session had ended.
   */
  enrolConsoleSecondFactor(input: {
    userId: string;
    totpCiphertext: string;
    step: number;
    recoveryCodeHashes: readonly string[];
    endedSessionId: string;
    at: Date;
    session: StoredConsoleSession;
    audit: AuditEvent | null;
  }): Promise<boolean>;
  /** Accepts a TOTP step once: true only if it is later than every step accepted before. */
  useConsoleTotpStep(input: { userId: string; step: number }): Promise<boolean>;
  /** Uses a recovery code once: true only if the user has it unused. */
  useConsoleRecoveryCode(input: { userId: string; codeHash: string; at: Date }): Promise<boolean>;
  /** Ends one session (signing out); ending an ended one changes nothing. */
  endConsoleSession(input: { sessionId: string; at: Date }): Promise<void>;
  /**
   * Sets the role of a user of the account that is not REMOVED, with its audit event; refuses
   * (LAST_OWNER) to demote the account's last ACTIVE owner, judged under the account's lock.
   */
  changeConsoleUserRole(input: {
    accountId: string;
    userId: string;
    role: ConsoleRole;
    audit: AuditEvent;
  }): Promise<ConsoleUserChange>;
  /**
   * REMOVED, with its sessions ended and its invitations revoked, and the audit event (none for an
   * operator); refuses (LAST_OWNER) the account's last ACTIVE owner, judged under the account's
   * lock, unless `guardLastOwner` is false (the provider's operator). `accountId` null: an operator.
   */
  removeConsoleUser(input: {
    accountId: string | null;
    userId: string;
    at: Date;
    guardLastOwner?: boolean;
    audit: AuditEvent | null;
  }): Promise<ConsoleUserChange>;
  /**
   * Resets how the user signs in: the password, the TOTP secret and the recovery codes are
   * forgotten, every session ends, every earlier invitation is revoked, and the user is INVITED
   * again with `invitation` (a new one-time link), with the audit event, in one transaction.
   * NOT_FOUND when the user (not REMOVED) does not belong to `accountId` (null: an operator);
   * LAST_OWNER as `removeConsoleUser`, unless `guardLastOwner` is false.
   */
  resetConsoleUserSignIn(input: {
    accountId: string | null;
    userId: string;
    at: Date;
    guardLastOwner: boolean;
    invitation: ConsoleInvitation;
    audit: AuditEvent | null;
  }): Promise<ConsoleUserChange>;
}
