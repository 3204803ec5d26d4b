import type { Kysely, Transaction } from "kysely";
import type { ConsoleRole } from "../../domain/console-roles.ts";
import type { ConsoleUser, ConsoleUserStatus, SessionStage } from "../../domain/console-user.ts";
import type { ConsoleInvitation, StoredConsoleSession, StoredConsoleUser } from "../console-port.ts";
import type { ConsoleInvitationsTable, ConsoleSessionsTable, ConsoleUsersTable } from "./console-tables.ts";
import { dateOrNull, iso } from "./rows.ts";
import type { Database } from "./tables.ts";

/* The console tables' rows, and the statements both halves of the console store use. */

export type Db = Kysely<Database> | Transaction<Database>;

export function rowToUser(r: ConsoleUsersTable): StoredConsoleUser {
  return {
    userId: r.user_id,
    accountId: r.account_id,
    email: r.email,
    role: r.role as ConsoleRole,
    status: r.status as ConsoleUserStatus,
    secondFactor: r.totp_ciphertext !== null,
    createdAt: new Date(r.created_at),
    createdBy: r.created_by,
    lastSignInAt: dateOrNull(r.last_sign_in_at),
    passwordHash: r.password_hash,
    totpCiphertext: r.totp_ciphertext,
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
  };
}

export function userToRow(u: ConsoleUser): ConsoleUsersTable {
  return {
    user_id: u.userId,
    account_id: u.accountId,
    email: u.email,
    role: u.role,
    status: u.status,
    password_hash: null,
    totp_ciphertext: null,
    totp_last_step: null,
    created_at: iso(u.createdAt),
    created_by: u.createdBy,
    last_sign_in_at: u.lastSignInAt ? iso(u.lastSignInAt) : null,
    removed_at: null,
  };
}

export function invitationToRow(i: ConsoleInvitation): ConsoleInvitationsTable {
  return {
    invitation_id: i.invitationId,
    user_id: i.userId,
    token_hash: i.tokenHash,
    created_at: iso(i.createdAt),
    expires_at: iso(i.expiresAt),
    accepted_at: i.acceptedAt ? iso(i.acceptedAt) : null,
    revoked_at: i.revokedAt ? iso(i.revokedAt) : null,
  };
}

export function rowToInvitation(r: ConsoleInvitationsTable): ConsoleInvitation {
  return {
    invitationId: r.invitation_id,
    userId: r.user_id,
    tokenHash: r.token_hash,
    createdAt: new Date(r.created_at),
    expiresAt: new Date(r.expires_at),
    acceptedAt: dateOrNull(r.accepted_at),
    revokedAt: dateOrNull(r.revoked_at),
  };
}

export function sessionToRow(s: StoredConsoleSession): ConsoleSessionsTable {
  return {
    session_id: s.sessionId,
    user_id: s.userId,
    token_hash: s.tokenHash,
    stage: s.stage,
    created_at: iso(s.createdAt),
    last_seen_at: iso(s.lastSeenAt),
    ended_at: s.endedAt ? iso(s.endedAt) : null,
    pending_totp_ciphertext: s.pendingTotpCiphertext,
  };
}

export function rowToSession(r: ConsoleSessionsTable): StoredConsoleSession {
  return {
    sessionId: r.session_id,
    userId: r.user_id,
    tokenHash: r.token_hash,
    stage: r.stage as SessionStage,
    createdAt: new Date(r.created_at),
    lastSeenAt: new Date(r.last_seen_at),
    endedAt: dateOrNull(r.ended_at),
    pendingTotpCiphertext: r.pending_totp_ciphertext,
  };
}

export async function userById(db: Db, userId: string): Promise<StoredConsoleUser | null> {
  const row = await db
    .selectFrom("console_users")
    .selectAll()
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? rowToUser(row) : null;
}

export async function userByEmail(db: Db, email: string): Promise<StoredConsoleUser | null> {
  const row = await db
    .selectFrom("console_users")
    .selectAll()
    .where("email", "=", email)
    .where("status", "<>", "REMOVED")
    .executeTakeFirst();
  return row ? rowToUser(row) : null;
}

export async function endSessionsOf(trx: Db, userId: string, at: Date): Promise<void> {
  await trx
    .updateTable("console_sessions")
    .set({ ended_at: iso(at) })
    .where("user_id", "=", userId)
    .where("ended_at", "is", null)
    .execute();
}

export async function revokeInvitationsOf(trx: Db, userId: string, at: Date): Promise<void> {
  await trx
    .updateTable("console_invitations")
    .set({ revoked_at: iso(at) })
    .where("user_id", "=", userId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
}

/** Ends `endedSessionId` (if still live) and stores its successor; a SIGNED_IN one records the sign-in. */
export async function replaceSession(
  trx: Db,
  input: { endedSessionId: string; at: Date; session: StoredConsoleSession },
): Promise<boolean> {
  const ended = await trx
    .updateTable("console_sessions")
    .set({ ended_at: iso(input.at) })
    .where("session_id", "=", input.endedSessionId)
    .where("ended_at", "is", null)
    .executeTakeFirst();
  if (Number(ended.numUpdatedRows) !== 1) return false;
  await trx.insertInto("console_sessions").values(sessionToRow(input.session)).execute();
  if (input.session.stage === "SIGNED_IN") {
    await trx
      .updateTable("console_users")
      .set({ last_sign_in_at: iso(input.at) })
      .where("user_id", "=", input.session.userId)
      .execute();
  }
  return true;
}
