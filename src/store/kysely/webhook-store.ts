import { type Kysely, PostgresAdapter, type RawBuilder, sql } from "kysely";
import type { WebhookDelivery, WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import { NOTICE_KEY_PREFIXES, type WebhookEventType } from "../../domain/webhook-events.ts";
import type { WebhookPort } from "../webhook-port.ts";
import { lockAccountRow } from "./account-lock.ts";
import { appendAudit } from "./audit-chain.ts";
import { keysetPage } from "./keyset.ts";
import { iso, rowToCertificate, rowToCredential } from "./rows.ts";
import type { Database } from "./tables.ts";
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from "./webhook-tables.ts";

const dateOrNull = (text: string | null): Date | null => (text === null ? null : new Date(text));

export function endpointToRow(e: WebhookEndpoint): WebhookEndpointsTable {
  return {
    endpoint_id: e.endpointId,
    account_id: e.accountId,
    url: e.url,
    description: e.description,
    events: JSON.stringify(e.events),
    status: e.status,
    secret_ciphertext: e.secretCiphertext,
    previous_secret_ciphertext: e.previousSecretCiphertext,
    previous_secret_expires_at: e.previousSecretExpiresAt ? iso(e.previousSecretExpiresAt) : null,
    created_at: iso(e.createdAt),
    failing_since: e.failingSince ? iso(e.failingSince) : null,
    disabled_at: e.disabledAt ? iso(e.disabledAt) : null,
  };
}

export function rowToEndpoint(r: WebhookEndpointsTable): WebhookEndpoint {
  return {
    endpointId: r.endpoint_id,
    accountId: r.account_id,
    url: r.url,
    description: r.description,
    events: JSON.parse(r.events) as WebhookEventType[],
    status: r.status as WebhookEndpoint["status"],
    secretCiphertext: r.secret_ciphertext,
    previousSecretCiphertext: r.previous_secret_ciphertext,
    previousSecretExpiresAt: dateOrNull(r.previous_secret_expires_at),
    createdAt: new Date(r.created_at),
    failingSince: dateOrNull(r.failing_since),
    disabledAt: dateOrNull(r.disabled_at),
  };
}

export function deliveryToRow(d: WebhookDelivery): WebhookDeliveriesTable {
  return {
    delivery_id: d.deliveryId,
    endpoint_id: d.endpointId,
    account_id: d.accountId,
    message_id: d.messageId,
    event_type: d.eventType,
    payload: d.payload,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: iso(d.nextAttemptAt),
    first_attempt_at: d.firstAttemptAt ? iso(d.firstAttemptAt) : null,
    last_attempt_at: d.lastAttemptAt ? iso(d.lastAttemptAt) : null,
    last_response_code: d.lastResponseCode,
    last_error: d.lastError,
    created_at: iso(d.createdAt),
    delivered_at: d.deliveredAt ? iso(d.deliveredAt) : null,
  };
}

export function rowToDelivery(r: WebhookDeliveriesTable): WebhookDelivery {
  return {
    deliveryId: r.delivery_id,
    endpointId: r.endpoint_id,
    accountId: r.account_id,
    messageId: r.message_id,
    eventType: r.event_type,
    payload: r.payload,
    status: r.status as WebhookDelivery["status"],
    attempts: Number(r.attempts),
    nextAttemptAt: new Date(r.next_attempt_at),
    firstAttemptAt: dateOrNull(r.first_attempt_at),
    lastAttemptAt: dateOrNull(r.last_attempt_at),
    lastResponseCode: r.last_response_code === null ? null : Number(r.last_response_code),
    lastError: r.last_error,
    createdAt: new Date(r.created_at),
    deliveredAt: dateOrNull(r.delivered_at),
  };
}

/** Lifecycle webhooks: endpoints, the outbox's deliveries (claimed and recorded), time-based notices. */
export function webhookStore(db: Kysely<Database>): WebhookPort {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    async insertWebhookEndpoint(input) {
      return db.transaction().execute(async (trx) => {
        // The account's lock (taken by the audit append on SQLite's write lock, by this update on
        // PostgreSQL) makes the count and the insert one step.
        await lockAccountRow(trx, input.endpoint.accountId);
        const { count } = await trx
          .selectFrom("webhook_endpoints")
          .select((eb) => eb.fn.countAll<number>().as("count"))
          .where("account_id", "=", input.endpoint.accountId)
          .executeTakeFirstOrThrow();
        if (Number(count) >= input.max) return false;
        await trx.insertInto("webhook_endpoints").values(endpointToRow(input.endpoint)).execute();
        await appendAudit(trx, input.audit);
        return true;
      });
    },

    async listWebhookEndpoints(accountId) {
      const rows = await db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("account_id", "=", accountId)
        .orderBy("created_at")
        .orderBy("endpoint_id")
        .execute();
      return rows.map(rowToEndpoint);
    },

    async findWebhookEndpoint(accountId, endpointId) {
      const row = await db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("endpoint_id", "=", endpointId)
        .executeTakeFirst();
      return row ? rowToEndpoint(row) : null;
    },

    async deleteWebhookEndpoint(input) {
      return db.transaction().execute(async (trx) => {
        const found = await trx
          .selectFrom("webhook_endpoints")
          .select("endpoint_id")
          .where("account_id", "=", input.accountId)
          .where("endpoint_id", "=", input.endpointId)
          .executeTakeFirst();
        if (!found) return false;
        await trx.deleteFrom("webhook_deliveries").where("endpoint_id", "=", input.endpointId).execute();
        await trx.deleteFrom("webhook_endpoints").where("endpoint_id", "=", input.endpointId).execute();
        await appendAudit(trx, input.audit);
        return true;
      });
    },

    async replaceWebhookSecret(input) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("webhook_endpoints")
          .set((eb) => ({
            previous_secret_ciphertext: eb.ref("secret_ciphertext"),
            previous_secret_expires_at: iso(input.previousExpiresAt),
            secret_ciphertext: input.secretCiphertext,
          }))
          .where("account_id", "=", input.accountId)
          .where("endpoint_id", "=", input.endpointId)
          .returningAll()
          .executeTakeFirst();
        if (!row) return null;
        await appendAudit(trx, input.audit);
        return rowToEndpoint(row);
      });
    },

    async insertWebhookDelivery(delivery) {
      await db.insertInto("webhook_deliveries").values(deliveryToRow(delivery)).execute();
    },

    async listWebhookDeliveries(query) {
      const q = db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .where("account_id", "=", query.accountId)
        .where("endpoint_id", "=", query.endpointId);
      const rows = await keysetPage(q, { at: "created_at", id: "delivery_id" }, query).execute();
      return rows.map(rowToDelivery);
    },

    async findWebhookDelivery(accountId, endpointId, deliveryId) {
      const row = await db
        .selectFrom("webhook_deliveries")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("endpoint_id", "=", endpointId)
        .where("delivery_id", "=", deliveryId)
        .executeTakeFirst();
      return row ? rowToDelivery(row) : null;
    },

    async claimDueWebhookDeliveries(input) {
      const now = iso(input.now);
      return db.transaction().execute(async (trx) => {
        let due = trx
          .selectFrom("webhook_deliveries as d")
          .innerJoin("webhook_endpoints as e", "e.endpoint_id", "d.endpoint_id")
          .select("d.delivery_id")
          .where("d.status", "=", "PENDING")
          .where("d.next_attempt_at", "<=", now)
          .where("e.status", "=", "ACTIVE")
          .orderBy("d.next_attempt_at")
          .limit(input.limit);
        // Several instances: each skips the rows another is claiming, so each delivery has one sender.
        if (isPostgres) due = due.forUpdate(["d"]).skipLocked();
        const claimed = await trx
          .updateTable("webhook_deliveries")
          .set((eb) => ({
            next_attempt_at: iso(input.leaseUntil),
            attempts: eb("attempts", "+", 1),
            first_attempt_at: eb.fn.coalesce("first_attempt_at", sql.lit(now)),
          }))
          .where("delivery_id", "in", due)
          .where("status", "=", "PENDING")
          .where("next_attempt_at", "<=", now)
          .returningAll()
          .execute();
        if (claimed.length === 0) return [];
        const endpoints = await trx
          .selectFrom("webhook_endpoints")
          .selectAll()
          .where("endpoint_id", "in", [...new Set(claimed.map((row) => row.endpoint_id))])
          .execute();
        const byId = new Map(endpoints.map((row) => [row.endpoint_id, rowToEndpoint(row)]));
        return claimed
          .map(rowToDelivery)
          .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
          .flatMap((delivery) => {
            const endpoint = byId.get(delivery.endpointId);
            return endpoint ? [{ delivery, endpoint }] : [];
          });
      });
    },

    async recordWebhookAttempt(attempt) {
      const at = iso(attempt.at);
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("webhook_deliveries")
          .set({
            status: attempt.delivered ? "SUCCEEDED" : attempt.retryAt ? "PENDING" : "FAILED",
            next_attempt_at: attempt.retryAt ? iso(attempt.retryAt) : at,
            last_attempt_at: at,
            last_response_code: attempt.responseCode,
            last_error: attempt.error,
            delivered_at: attempt.delivered ? at : null,
          })
          .where("delivery_id", "=", attempt.deliveryId)
          .where("attempts", "=", attempt.attempt)
          .where("status", "=", "PENDING")
          .returning(["endpoint_id"])
          .executeTakeFirst();
        if (!row) return { recorded: false, endpointDisabled: false };
        if (attempt.delivered) {
          await trx
            .updateTable("webhook_endpoints")
            .set({ failing_since: null })
            .where("endpoint_id", "=", row.endpoint_id)
            .where("failing_since", "is not", null)
            .execute();
          return { recorded: true, endpointDisabled: false };
        }
        await trx
          .updateTable("webhook_endpoints")
          .set({ failing_since: at })
          .where("endpoint_id", "=", row.endpoint_id)
          .where("failing_since", "is", null)
          .execute();
        const disabled = await trx
          .updateTable("webhook_endpoints")
          .set({ status: "DISABLED", disabled_at: at })
          .where("endpoint_id", "=", row.endpoint_id)
          .where("status", "=", "ACTIVE")
          .where("failing_since", "<=", iso(attempt.disableIfFailingSince))
          .returning(["endpoint_id"])
          .executeTakeFirst();
        if (disabled) await appendAudit(trx, attempt.disableAudit);
        return { recorded: true, endpointDisabled: disabled !== undefined };
      });
    },

    async findNoticeCandidates(input) {
      const now = iso(input.now);
      /** No notice under this key has been given: `key` is the key's SQL, built as the domain builds it. */
      const notGiven = (key: RawBuilder<string>) =>
        sql<boolean>`not exists (select 1 from webhook_notices where notice_key = ${key})`;
      const { rotationEnding, certificateExpiring, mtlsEnforced } = NOTICE_KEY_PREFIXES;
      const rotations = db
        .selectFrom("credentials")
        .selectAll()
        .where("status", "=", "ACTIVE")
        .where("expires_at", "is not", null)
        .where("expires_at", ">", now)
        .where("expires_at", "<=", iso(input.rotationsEndingBy))
        .where(notGiven(sql`${rotationEnding} || credential_id || ':' || expires_at`))
        .orderBy("expires_at")
        .limit(input.limit)
        .execute();
      const certificates = input.certificateWindows.map(async (window) => {
        const rows = await db
          .selectFrom("client_certificates")
          .selectAll()
          .where("revoked_at", "is", null)
          .where("not_after", ">", iso(window.after))
          .where("not_after", "<=", iso(window.until))
          .where(notGiven(sql`${certificateExpiring} || certificate_id || ${`:${window.days}`}`))
          .orderBy("not_after")
          .limit(input.limit)
          .execute();
        return rows.map((row) => ({ certificate: rowToCertificate(row), days: window.days }));
      });
      const enforcements = db
        .selectFrom("accounts")
        .select(["account_id", "mtls_enforced_from"])
        .where("mtls_enforced_from", "is not", null)
        .where("mtls_enforced_from", ">", iso(input.enforcedSince))
        .where("mtls_enforced_from", "<=", now)
        .where(notGiven(sql`${mtlsEnforced} || account_id || ':' || mtls_enforced_from`))
        .orderBy("mtls_enforced_from")
        .limit(input.limit)
        .execute();
      return {
        rotations: (await rotations).map(rowToCredential),
        certificates: (await Promise.all(certificates)).flat(),
        enforcements: (await enforcements).map((row) => ({
          accountId: row.account_id,
          enforcedFrom: new Date(row.mtls_enforced_from as string),
        })),
      };
    },

    async purgeWebhookHistory(input) {
      const deliveries = await db
        .deleteFrom("webhook_deliveries")
        .where("status", "in", ["SUCCEEDED", "FAILED"])
        .where("created_at", "<", iso(input.deliveriesBefore))
        .executeTakeFirst();
      const notices = await db
        .deleteFrom("webhook_notices")
        .where("recorded_at", "<", iso(input.noticesBefore))
        .executeTakeFirst();
      return Number(deliveries.numDeletedRows) + Number(notices.numDeletedRows);
    },

    async recordNotices(notices) {
      if (notices.length === 0) return 0;
      const given = await db
        .selectFrom("webhook_notices")
        .select("notice_key")
        .where(
          "notice_key",
          "in",
          notices.map((n) => n.noticeKey),
        )
        .execute();
      const known = new Set(given.map((row) => row.notice_key));
      const fresh = notices.filter((n) => !known.has(n.noticeKey));
      if (fresh.length === 0) return 0;
      return db.transaction().execute(async (trx) => {
        let recorded = 0;
        for (const notice of fresh) {
          // Another instance may have given it meanwhile: the key decides, and its audit event follows.
          const inserted = await trx
            .insertInto("webhook_notices")
            .values({
              notice_key: notice.noticeKey,
              account_id: notice.audit.accountId,
              recorded_at: iso(notice.audit.occurredAt),
            })
            .onConflict((oc) => oc.column("notice_key").doNothing())
            .returning("notice_key")
            .executeTakeFirst();
          if (!inserted) continue;
          await appendAudit(trx, notice.audit);
          recorded += 1;
        }
        return recorded;
      });
    },
  };
}
