import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { AuditEvent } from "../../domain/types.ts";
import { webhookMessageOf, webhookPayload } from "../../domain/webhook-events.ts";
import type { Database } from "./tables.ts";
import type { WebhookDeliveriesTable } from "./webhook-tables.ts";

const INSERT_CHUNK = 1000;

/**
 * Fills the outbox from audit events, inside the transaction that records them: one delivery per
 * event that tells subscribers something and per ACTIVE endpoint of its account subscribed to it.
 * A change that rolls back takes its deliveries with it; one that commits cannot lose them. Costs
 * nothing more than a table lookup unless an event maps to a webhook.
 */
export async function enqueueWebhookMessages(
  trx: Transaction<Database> | Kysely<Database>,
  events: readonly AuditEvent[],
): Promise<void> {
  const messages = events.flatMap((event) => {
    const message = webhookMessageOf(event);
    return message ? [{ event, message }] : [];
  });
  if (messages.length === 0) return;
  const notices = messages.flatMap(({ event, message }) =>
    message.noticeKey === null
      ? []
      : [
          {
            notice_key: message.noticeKey,
            account_id: event.accountId,
            recorded_at: event.occurredAt.toISOString(),
          },
        ],
  );
  if (notices.length > 0) {
    await trx
      .insertInto("webhook_notices")
      .values(notices)
      .onConflict((oc) => oc.column("notice_key").doNothing())
      .execute();
  }
  const accounts = [...new Set(messages.map(({ event }) => event.accountId))];
  const endpoints = await trx
    .selectFrom("webhook_endpoints")
    .select(["endpoint_id", "account_id", "events"])
    .where("account_id", "in", accounts)
    .where("status", "=", "ACTIVE")
    .execute();
  if (endpoints.length === 0) return;
  const subscribed = endpoints.map((e) => ({ ...e, types: new Set(JSON.parse(e.events) as string[]) }));
  const rows: WebhookDeliveriesTable[] = [];
  for (const { event, message } of messages) {
    const at = event.occurredAt.toISOString();
    const payload = webhookPayload(message.type, event.occurredAt, message.data);
    for (const endpoint of subscribed) {
      if (endpoint.account_id !== event.accountId || !endpoint.types.has(message.type)) continue;
      rows.push({
        delivery_id: randomUUID(),
        endpoint_id: endpoint.endpoint_id,
        account_id: event.accountId,
        message_id: `msg_${event.eventId}`,
        event_type: message.type,
        payload,
        status: "PENDING",
        attempts: 0,
        next_attempt_at: at,
        first_attempt_at: null,
        last_attempt_at: null,
        last_response_code: null,
        last_error: null,
        created_at: at,
        delivered_at: null,
      });
    }
  }
  // Bounded statements: a sweep's batch to many endpoints stays under the drivers' parameter limits.
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await trx
      .insertInto("webhook_deliveries")
      .values(rows.slice(start, start + INSERT_CHUNK))
      .execute();
  }
}
