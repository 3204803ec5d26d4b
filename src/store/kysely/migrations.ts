import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { addressesSeenMigration } from "./addresses-seen-migration.ts";
import { consoleUsersMigration } from "./console-migration.ts";

/**
 * Versioned schema migrations, applied in name order at start. Written with Kysely's schema
 * builder and portable types (text, integer) so both dialects share one history.
 * Never edit a released migration: add the next number.
 */
const migrations: Record<string, Migration> = {
  "0001_initial": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("accounts")
        .addColumn("account_id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("environment", "text", (c) => c.notNull())
        .addColumn("parent_account_id", "text", (c) => c.references("accounts.account_id"))
        .addColumn("partner_account_reference", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("accounts_by_parent")
        .on("accounts")
        .columns(["parent_account_id", "created_at", "account_id"])
        .execute();

      await db.schema
        .createTable("credentials")
        .addColumn("credential_id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.account_id"))
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("environment", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("status_reason", "text")
        .addColumn("lookup_id", "text", (c) => c.notNull().unique())
        .addColumn("client_id", "text", (c) => c.unique())
        .addColumn("secret_hash", "text")
        .addColumn("pepper_version", "integer")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("last_used_at", "text")
        .addColumn("last_used_ip", "text")
        .addColumn("disabled_at", "text")
        .addColumn("expires_at", "text")
        .execute();
      await db.schema
        .createIndex("credentials_by_account")
        .on("credentials")
        .columns(["account_id", "created_at", "credential_id"])
        .execute();

      await db.schema
        .createTable("onboarding_links")
        .addColumn("link_id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.account_id"))
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("claimed_at", "text")
        .addColumn("revoked_at", "text")
        .execute();
      await db.schema
        .createIndex("onboarding_links_by_account")
        .on("onboarding_links")
        .column("account_id")
        .execute();

      await db.schema
        .createTable("audit_events")
        .addColumn("event_id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("target_type", "text", (c) => c.notNull())
        .addColumn("target_id", "text", (c) => c.notNull())
        .addColumn("source_ip", "text")
        .addColumn("status_before", "text")
        .addColumn("status_after", "text")
        .addColumn("occurred_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("audit_events_by_account")
        .on("audit_events")
        .columns(["account_id", "occurred_at", "event_id"])
        .execute();

      await db.schema
        .createTable("idempotency_keys")
        .addColumn("key_hash", "text", (c) => c.primaryKey())
        .addColumn("request_hash", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("response_status", "integer")
        .addColumn("response_ciphertext", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("idempotency_keys_by_expiry")
        .on("idempotency_keys")
        .column("expires_at")
        .execute();
    },
  },
  "0002_lifecycle": {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const column of [
        "activity_at",
        "inactivity_warned_at",
        "deleted_at",
        "rotated_from",
        "rotated_to",
        "rotation_end",
      ]) {
        await db.schema.alterTable("credentials").addColumn(column, "text").execute();
      }
      await sql`update credentials set activity_at = coalesce(last_used_at, created_at)`.execute(db);
      await db.schema
        .createIndex("credentials_by_status_activity")
        .on("credentials")
        .columns(["status", "activity_at"])
        .execute();
      await db.schema
        .createIndex("credentials_by_status_expiry")
        .on("credentials")
        .columns(["status", "expires_at"])
        .execute();
      await db.schema.alterTable("audit_events").addColumn("reason", "text").execute();
    },
  },
  "0003_account_security": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable("accounts")
        .addColumn("ip_enforcement_mode", "text", (c) => c.notNull().defaultTo("NOT_ENABLED"))
        .execute();
      await db.schema
        .alterTable("accounts")
        .addColumn("ip_allowed", "text", (c) => c.notNull().defaultTo("[]"))
        .execute();
      await db.schema.alterTable("accounts").addColumn("mtls_enforced_from", "text").execute();
      await db.schema
        .alterTable("accounts")
        .addColumn("mtls_enabled", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable("client_certificates")
        .addColumn("certificate_id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.account_id"))
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("serial_number", "text", (c) => c.notNull().unique())
        .addColumn("fingerprint_sha256", "text", (c) => c.notNull().unique())
        .addColumn("certificate_pem", "text", (c) => c.notNull())
        .addColumn("not_before", "text", (c) => c.notNull())
        .addColumn("not_after", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .execute();
      await db.schema
        .createIndex("client_certificates_by_account")
        .on("client_certificates")
        .columns(["account_id", "created_at", "certificate_id"])
        .execute();
    },
  },
  "0004_origins_and_limits": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable("accounts")
        .addColumn("rate_limits", "text", (c) => c.notNull().defaultTo("{}"))
        .execute();
      await db.schema
        .createTable("allowed_origins")
        .addColumn("origin_id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.account_id"))
        .addColumn("origin", "text", (c) => c.notNull())
        .addColumn("scheme", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("allowed_origins_unique", ["account_id", "origin"])
        .execute();
      await db.schema
        .createIndex("allowed_origins_by_origin")
        .on("allowed_origins")
        .column("origin")
        .execute();
    },
  },
  "0005_service_tokens": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("service_tokens")
        .addColumn("service_token_id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .execute();
    },
  },
  "0006_credential_permissions": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("credentials").addColumn("permissions", "text").execute();
    },
  },
  "0007_audit_chain": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("audit_events").addColumn("seq", "integer").execute();
      await db.schema.alterTable("audit_events").addColumn("prev_hash", "text").execute();
      await db.schema.alterTable("audit_events").addColumn("hash", "text").execute();
      await db.schema
        .createIndex("audit_events_chain")
        .on("audit_events")
        .columns(["account_id", "seq"])
        .unique()
        .execute();
    },
  },
  "0008_idempotency_applied": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("idempotency_keys").addColumn("resource_id", "text").execute();
    },
  },
  "0009_account_suspension": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("accounts").addColumn("suspended_at", "text").execute();
      await db.schema.alterTable("accounts").addColumn("suspended_reason", "text").execute();
    },
  },
  // The lifecycle sweep reads each rule's candidates in (instant, id) order, batch after batch:
  // with the id in the index, each batch is a range read that stops at its limit.
  "0010_lifecycle_keyset_indexes": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex("credentials_by_status_activity_id")
        .on("credentials")
        .columns(["status", "activity_at", "credential_id"])
        .execute();
      // Only credentials being rotated have an expiry: the index holds them alone, and status
      // changes of all the others leave it untouched.
      await db.schema
        .createIndex("credentials_by_status_expiry_id")
        .on("credentials")
        .columns(["status", "expires_at", "credential_id"])
        .where(sql.ref("expires_at"), "is not", null)
        .execute();
      await db.schema.dropIndex("credentials_by_status_activity").execute();
      await db.schema.dropIndex("credentials_by_status_expiry").execute();
    },
  },
  // Leaked-key reports act once per token: the SHA-256 of each reported token (never the token)
  // that matched a credential. Audit events gain their details (the report's url and source).
  "0011_leak_reports": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("leak_reports")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("credential_id", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("reported_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.alterTable("audit_events").addColumn("details", "text").execute();
    },
  },
  // Lifecycle webhooks: the endpoints, the outbox (filled in the transaction of each change) and
  // the time-based notices already given.
  "0012_webhooks": {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("webhook_endpoints")
        .addColumn("endpoint_id", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull().references("accounts.account_id"))
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("description", "text", (c) => c.notNull())
        .addColumn("events", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("secret_ciphertext", "text", (c) => c.notNull())
        .addColumn("previous_secret_ciphertext", "text")
        .addColumn("previous_secret_expires_at", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("failing_since", "text")
        .addColumn("disabled_at", "text")
        .execute();
      await db.schema
        .createIndex("webhook_endpoints_by_account")
        .on("webhook_endpoints")
        .columns(["account_id", "status"])
        .execute();
      await db.schema
        .createTable("webhook_deliveries")
        .addColumn("delivery_id", "text", (c) => c.primaryKey())
        .addColumn("endpoint_id", "text", (c) => c.notNull().references("webhook_endpoints.endpoint_id"))
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("message_id", "text", (c) => c.notNull())
        .addColumn("event_type", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("next_attempt_at", "text", (c) => c.notNull())
        .addColumn("first_attempt_at", "text")
        .addColumn("last_attempt_at", "text")
        .addColumn("last_response_code", "integer")
        .addColumn("last_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("delivered_at", "text")
        .execute();
      // The dispatcher reads the due deliveries in order; the log reads an endpoint's newest first.
      await db.schema
        .createIndex("webhook_deliveries_due")
        .on("webhook_deliveries")
        .columns(["status", "next_attempt_at"])
        .execute();
      await db.schema
        .createIndex("webhook_deliveries_by_endpoint")
        .on("webhook_deliveries")
        .columns(["endpoint_id", "created_at", "delivery_id"])
        .execute();
      await db.schema
        .createTable("webhook_notices")
        .addColumn("notice_key", "text", (c) => c.primaryKey())
        .addColumn("account_id", "text", (c) => c.notNull())
        .addColumn("recorded_at", "text", (c) => c.notNull())
        .execute();
    },
  },
  // The console's users, invitations, sessions and recovery codes (see console-migration.ts).
  "0013_console_users": consoleUsersMigration,
  // The IP allow-list report: addresses seen per account (see addresses-seen-migration.ts).
  "0014_addresses_seen": addressesSeenMigration,
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/**
 * Runs the pending migrations. On PostgreSQL pass the schema in use: without it the migrator takes
 * a migration table of any other schema in the database (a deployment's or a test's) for its own.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  options: { migrationTableSchema?: string } = {},
): Promise<void> {
  const { error, results } = await new Migrator({ db, provider, ...options }).migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const reason = error instanceof Error ? `: ${error.message}` : "";
    throw new Error(`Database migration ${failed?.migrationName ?? ""} failed${reason}`, { cause: error });
  }
}
