import type { Kysely, Transaction } from "kysely";
import type { ConsolePort, ConsoleUserChange, InvitationAcceptance } from "../console-port.ts";
import { lockAccountRow } from "./account-lock.ts";
import { appendAudit } from "./audit-chain.ts";
import {
  endSessionsOf,
  invitationToRow,
  revokeInvitationsOf,
  rowToInvitation,
  rowToUser,
  sessionToRow,
  userByEmail,
  userById,
  userToRow,
} from "./console-rows.ts";
import { consoleSessionStore } from "./console-session-store.ts";
import { iso } from "./rows.ts";
import type { Database } from "./tables.ts";

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
    if (input.accountId !== null) await lockAccountRow(trx, input.accountId);
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
    ...consoleSessionStore(db),

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
