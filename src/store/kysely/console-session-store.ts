import type { Kysely } from "kysely";
import type { ConsolePort } from "../console-port.ts";
import { appendAudit } from "./audit-chain.ts";
import { replaceSession, rowToSession, sessionToRow, userById } from "./console-rows.ts";
import { iso } from "./rows.ts";
import type { Database } from "./tables.ts";

type SessionMethods =
  | "insertConsoleSession"
  | "findConsoleSession"
  | "touchConsoleSession"
  | "offerConsoleTotp"
  | "replaceConsoleSession"
  | "enrolConsoleSecondFactor"
  | "useConsoleTotpStep"
  | "useConsoleRecoveryCode"
  | "endConsoleSession";

/** Console sessions and second factors: sign-in steps, TOTP enrolment, codes used once. */
export function consoleSessionStore(db: Kysely<Database>): Pick<ConsolePort, SessionMethods> {
  return {
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
  };
}
