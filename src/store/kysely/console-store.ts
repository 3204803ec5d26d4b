import type { Kysely, Transaction } from "kysely";
import type { ConsoleRole } from "../../domain/console-roles.ts";
import type { ConsoleUser, ConsoleUserStatus, SessionStage } from "../../domain/console-user.ts";
import type {
  ConsoleInvitation,
  ConsolePort,
  ConsoleUserChange,
  InvitationAcceptance,
  StoredConsoleSession,
  StoredConsoleUser,
} from "../console-port.ts";
import { appendAudit } from "./audit-chain.ts";
import type { ConsoleInvitationsTable, ConsoleSessionsTable, ConsoleUsersTable } from "./console-tables.ts";
import { iso } from "./rows.ts";
import type { Database } from "./tables.ts";

type Db = Kysely<Database> | Transaction<Database>;

const dateOrNull = (text: string | null): Date | null => (text === null ? null : new Date(text));

function rowToUser(r: ConsoleUsersTable): StoredConsoleUser {
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

function userToRow(u: ConsoleUser): ConsoleUsersTable {
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

function invitationToRow(i: ConsoleInvitation): ConsoleInvitationsTable {
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

function rowToInvitation(r: ConsoleInvitationsTable): ConsoleInvitation {
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

function sessionToRow(s: StoredConsoleSession): ConsoleSessionsTable {
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

function rowToSession(r: ConsoleSessionsTable): StoredConsoleSession {
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

async function userById(db: Db, userId: string): Promise<StoredConsoleUser | null> {
  const row = await db
    .selectFrom("console_users")
    .selectAll()
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? rowToUser(row) : null;
}

async function userByEmail(db: Db, email: string): Promise<StoredConsoleUser | null> {
  const row = await db
    .selectFrom("console_users")
    .selectAll()
    .where("email", "=", email)
    .where("status", "<>", "REMOVED")
    .executeTakeFirst();
  return row ? rowToUser(row) : null;
}

async function endSessionsOf(trx: Db, userId: string, at: Date): Promise<void> {
  await trx
    .updateTable("console_sessions")
    .set({ ended_at: iso(at) })
    .where("user_id", "=", userId)
    .where("ended_at", "is", null)
    .execute();
}

async function revokeInvitationsOf(trx: Db, userId: string, at: Date): Promise<void> {
  await trx
    .updateTable("console_invitations")
    .set({ revoked_at: iso(at) })
    .where("user_id", "=", userId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .execute();
}

/** Ends `endedSessionId` (if still live) and stores its successor; a SIGNED_IN one records the sign-in. */
async function replaceSession(
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

/**
 * Runs `change` on a user of the account (not REMOVED) under the account's lock, unless the change
 * would leave the account without an ACTIVE owner.
 */
async function guardedUserChange(
  db: Kysely<Database>,
  input: { accountId: string | null; userId: string; keepsOwner: boolean },
  change: (trx: Transaction<Database>) => Promise<void>,
): Promise<ConsoleUserChange> {
  return db.transaction().execute(async (trx): Promise<ConsoleUserChange> => {
    if (input.accountId !== null) {
      await trx
        .updateTable("accounts")
        .set((eb) => ({ account_id: eb.ref("account_id") }))
        .where("account_id", "=", input.accountId)
        .execute();
    }
    const user = await userById(trx, input.userId);
    if (!user || user.accountId !== input.accountId || user.status === "REMOVED")
      return { outcome: "NOT_FOUND" };
    if (input.accountId !== null && user.role === "owner" && user.status === "ACTIVE" && !input.keepsOwner) {
      const { count } = await trx
        .selectFrom("console_users")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("account_id", "=", input.accountId)
        .where("role", "=", "owner")
        .where("status", "=", "ACTIVE")
        .executeTakeFirstOrThrow();
      if (Number(count) <= 1) return { outcome: "LAST_OWNER" };
    }
    await change(trx);
    const changed = await userById(trx, input.userId);
    if (!changed) throw new Error("console user vanished during its change");
    return { outcome: "CHANGED", user: changed };
  });
}

/** Console users: invited, accepted, signed in through sessions, changed and removed. */
export function consoleStore(db: Kysely<Database>): ConsolePort {
  return {
    async insertConsoleUser(input) {
      try {
        return await db.transaction().execute(async (trx) => {
          if (await userByEmail(trx, input.user.email)) return false;
          await trx.insertInto("console_users").values(userToRow(input.user)).execute();
          await trx.insertInto("console_invitations").values(invitationToRow(input.invitation)).execute();
          if (input.audit) await appendAudit(trx, input.audit);
          return true;
        });
      } catch (error) {
        // Two invitations of one email at once: the unique index refuses the second.
        if (await userByEmail(db, input.user.email)) return false;
        throw error;
      }
    },

    async reinviteConsoleUser(input) {
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable("console_users")
          .set({ role: input.role })
          .where("user_id", "=", input.userId)
          .where("status", "=", "INVITED")
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return null;
        await revokeInvitationsOf(trx, input.userId, input.invitation.createdAt);
        await trx.insertInto("console_invitations").values(invitationToRow(input.invitation)).execute();
        if (input.audit) await appendAudit(trx, input.audit);
        return userById(trx, input.userId);
      });
    },

    async findConsoleInvitation(tokenHash) {
      const row = await db
        .selectFrom("console_invitations")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      if (!row) return null;
      const user = await userById(db, row.user_id);
      return user ? { invitation: rowToInvitation(row), user } : null;
    },

    async acceptConsoleInvitation(input) {
      return db.transaction().execute(async (trx): Promise<InvitationAcceptance> => {
        const now = iso(input.now);
        const row = await trx
          .selectFrom("console_invitations")
          .selectAll()
          .where("token_hash", "=", input.tokenHash)
          .executeTakeFirst();
        if (!row) return { outcome: "NOT_FOUND" };
        const accepted = await trx
          .updateTable("console_invitations")
          .set({ accepted_at: now })
          .where("invitation_id", "=", row.invitation_id)
          .where("accepted_at", "is", null)
          .where("revoked_at", "is", null)
          .where("expires_at", ">", now)
          .executeTakeFirst();
        if (Number(accepted.numUpdatedRows) !== 1) {
          if (row.accepted_at) return { outcome: "ALREADY_USED" };
          if (row.revoked_at) return { outcome: "SUPERSEDED" };
          return { outcome: "EXPIRED" };
        }
        const activated = await trx
          .updateTable("console_users")
          .set({ status: "ACTIVE", password_hash: input.passwordHash })
          .where("user_id", "=", row.user_id)
          .where("status", "=", "INVITED")
          .executeTakeFirst();
        if (Number(activated.numUpdatedRows) !== 1) {
          // Removed (or accepted through another link) meanwhile: the acceptance does not count.
          await trx
            .updateTable("console_invitations")
            .set({ accepted_at: null, revoked_at: now })
            .where("invitation_id", "=", row.invitation_id)
            .execute();
          return { outcome: "SUPERSEDED" };
        }
        await trx.insertInto("console_sessions").values(sessionToRow(input.session)).execute();
        if (input.audit) await appendAudit(trx, input.audit);
        const user = await userById(trx, row.user_id);
        if (!user) throw new Error("console user vanished during its acceptance");
        return { outcome: "ACCEPTED", user };
      });
    },

    findConsoleUser(userId) {
      return userById(db, userId);
    },

    findConsoleUserByEmail(email) {
      return userByEmail(db, email);
    },

    async listConsoleUsers(accountId) {
      const rows = await db
        .selectFrom("console_users")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("status", "<>", "REMOVED")
        .orderBy("created_at")
        .orderBy("user_id")
        .execute();
      return rows.map(rowToUser);
    },

    async listConsoleOperators() {
      const rows = await db
        .selectFrom("console_users")
        .selectAll()
        .where("account_id", "is", null)
        .where("status", "<>", "REMOVED")
        .orderBy("created_at")
        .orderBy("user_id")
        .execute();
      return rows.map(rowToUser);
    },

    async insertConsoleSession(session) {
      await db.insertInto("console_sessions").values(sessionToRow(session)).execute();
    },

    async findConsoleSession(tokenHash) {
      const row = await db
        .selectFrom("console_sessions")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
      if (!row) return null;
      const user = await userById(db, row.user_id);
      return user ? { session: rowToSession(row), user } : null;
    },

    async touchConsoleSession(input) {
      await db
        .updateTable("console_sessions")
        .set({ last_seen_at: iso(input.at) })
        .where("session_id", "=", input.sessionId)
        .where("last_seen_at", "<", iso(input.at))
        .execute();
    },

    async offerConsoleTotp(input) {
      await db
        .updateTable("console_sessions")
        .set({ pending_totp_ciphertext: input.ciphertext })
        .where("session_id", "=", input.sessionId)
        .execute();
    },

    async replaceConsoleSession(input) {
      return db.transaction().execute(async (trx) => {
        if (!(await replaceSession(trx, input))) return false;
        if (input.audit) await appendAudit(trx, input.audit);
        return true;
      });
    },

    async enrolConsoleSecondFactor(input) {
      return db.transaction().execute(async (trx) => {
        if (!(await replaceSession(trx, input))) return false;
        await trx
          .updateTable("console_users")
          .set({ totp_ciphertext: input.totpCiphertext, totp_last_step: input.step })
          .where("user_id", "=", input.userId)
          .execute();
        await trx.deleteFrom("console_recovery_codes").where("user_id", "=", input.userId).execute();
        if (input.recoveryCodeHashes.length > 0) {
          await trx
            .insertInto("console_recovery_codes")
            .values(
              input.recoveryCodeHashes.map((code_hash) => ({
                user_id: input.userId,
                code_hash,
                used_at: null,
              })),
            )
            .execute();
        }
        if (input.audit) await appendAudit(trx, input.audit);
        return true;
      });
    },

    async useConsoleTotpStep(input) {
      const result = await db
        .updateTable("console_users")
        .set({ totp_last_step: input.step })
        .where("user_id", "=", input.userId)
        .where("totp_ciphertext", "is not", null)
        .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", input.step)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async useConsoleRecoveryCode(input) {
      const result = await db
        .updateTable("console_recovery_codes")
        .set({ used_at: iso(input.at) })
        .where("user_id", "=", input.userId)
        .where("code_hash", "=", input.codeHash)
        .where("used_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async endConsoleSession(input) {
      await db
        .updateTable("console_sessions")
        .set({ ended_at: iso(input.at) })
        .where("session_id", "=", input.sessionId)
        .where("ended_at", "is", null)
        .execute();
    },

    changeConsoleUserRole(input) {
      return guardedUserChange(db, { ...input, keepsOwner: input.role === "owner" }, async (trx) => {
        await trx
          .updateTable("console_users")
          .set({ role: input.role })
          .where("user_id", "=", input.userId)
          .execute();
        await appendAudit(trx, input.audit);
      });
    },

    removeConsoleUser(input) {
      const keepsOwner = input.guardLastOwner === false;
      return guardedUserChange(db, { ...input, keepsOwner }, async (trx) => {
        await trx
          .updateTable("console_users")
          .set({ status: "REMOVED", removed_at: iso(input.at) })
          .where("user_id", "=", input.userId)
          .execute();
        await endSessionsOf(trx, input.userId, input.at);
        await revokeInvitationsOf(trx, input.userId, input.at);
        if (input.audit) await appendAudit(trx, input.audit);
      });
    },

    resetConsoleUserSignIn(input) {
      return guardedUserChange(db, { ...input, keepsOwner: !input.guardLastOwner }, async (trx) => {
        await trx
          .updateTable("console_users")
          .set({ status: "INVITED", password_hash: null, totp_ciphertext: null, totp_last_step: null })
          .where("user_id", "=", input.userId)
          .execute();
        await trx.deleteFrom("console_recovery_codes").where("user_id", "=", input.userId).execute();
        await endSessionsOf(trx, input.userId, input.at);
        await revokeInvitationsOf(trx, input.userId, input.at);
        await trx.insertInto("console_invitations").values(invitationToRow(input.invitation)).execute();
        if (input.audit) await appendAudit(trx, input.audit);
      });
    },
  };
}
