import { type Kysely, type Migration, sql } from "kysely";

/**
 * `0013_console_users`: the console's users (of an account, or operators with none), their one-time
 * invitations, server-side sessions and recovery codes. Only hashes of tokens and codes are kept,
 * and the TOTP secret encrypted.
 */
export const consoleUsersMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable("console_users")
      .addColumn("user_id", "text", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.references("accounts.account_id"))
      .addColumn("email", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("password_hash", "text")
      .addColumn("totp_ciphertext", "text")
      .addColumn("totp_last_step", "integer")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("last_sign_in_at", "text")
      .addColumn("removed_at", "text")
      .execute();
    // One person per email among the users that are not removed: sign-in finds them by it.
    await db.schema
      .createIndex("console_users_email")
      .on("console_users")
      .column("email")
      .unique()
      .where(sql.ref("status"), "<>", "REMOVED")
      .execute();
    await db.schema
      .createIndex("console_users_by_account")
      .on("console_users")
      .columns(["account_id", "created_at", "user_id"])
      .execute();
    await db.schema
      .createTable("console_invitations")
      .addColumn("invitation_id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("console_users.user_id"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("accepted_at", "text")
      .addColumn("revoked_at", "text")
      .execute();
    await db.schema
      .createIndex("console_invitations_by_user")
      .on("console_invitations")
      .column("user_id")
      .execute();
    await db.schema
      .createTable("console_sessions")
      .addColumn("session_id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("console_users.user_id"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("stage", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("last_seen_at", "text", (c) => c.notNull())
      .addColumn("ended_at", "text")
      .addColumn("pending_totp_ciphertext", "text")
      .execute();
    await db.schema
      .createIndex("console_sessions_by_user")
      .on("console_sessions")
      .columns(["user_id", "ended_at"])
      .execute();
    await db.schema
      .createTable("console_recovery_codes")
      .addColumn("user_id", "text", (c) => c.notNull().references("console_users.user_id"))
      .addColumn("code_hash", "text", (c) => c.notNull())
      .addColumn("used_at", "text")
      .addPrimaryKeyConstraint("console_recovery_codes_pk", ["user_id", "code_hash"])
      .execute();
  },
};
