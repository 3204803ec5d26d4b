import { type Static, Type } from "typebox";
import { DESCRIPTION_PATTERN } from "../../domain/credential-rules.ts";
import type { WebhookDelivery, WebhookEndpoint } from "../../domain/webhook-endpoint.ts";
import { WEBHOOK_DELIVERY_STATUSES } from "../../domain/webhook-endpoint.ts";
import { WEBHOOK_EVENT_TYPES } from "../../domain/webhook-events.ts";
import { Timestamp } from "./common.ts";
import { shared } from "./shared.ts";

export const WebhookEventTypeSchema = Type.Enum(WEBHOOK_EVENT_TYPES, {
  description: "A lifecycle event a webhook endpoint can subscribe to",
});

export const NewWebhookEndpointBody = Type.Object(
  {
    url: Type.String({
      maxLength: 2000,
      description:
        "Where deliveries are POSTed: https, and not a private, loopback, link-local or metadata address",
    }),
    events: Type.Array(WebhookEventTypeSchema, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length * 2 }),
    description: Type.Optional(
      Type.String({
        pattern: DESCRIPTION_PATTERN.source,
        maxLength: 100,
        description: "What the endpoint is for; letters, digits, space and - : ; . , _",
      }),
    ),
  },
  { additionalProperties: false },
);

const WebhookEndpointObject = Type.Object(
  {
    endpoint_id: Type.String({ format: "uuid" }),
    url: Type.String(),
    description: Type.String(),
    events: Type.Array(WebhookEventTypeSchema),
    status: Type.Enum(["ACTIVE", "DISABLED"], {
      description: "DISABLED after its deliveries failed for three days",
    }),
    created_at: Timestamp,
    disabled_at: Type.Optional(Timestamp),
    previous_secret_expires_at: Type.Optional({
      ...Timestamp,
      description: "Until when the secret replaced by the last rotation still signs, beside the new one",
    }),
    secret: Type.Optional(
      Type.String({
        description: "The signing secret (`whsec_` + base64): in the create and rotate-secret answers only",
      }),
    ),
  },
  { additionalProperties: false },
);
export const WebhookEndpointSchema = shared("WebhookEndpoint", WebhookEndpointObject);

const WebhookDeliveryObject = Type.Object(
  {
    delivery_id: Type.String({ format: "uuid" }),
    endpoint_id: Type.String({ format: "uuid" }),
    message_id: Type.String({ description: "The `webhook-id` header: the same on every attempt" }),
    event_type: Type.String(),
    status: Type.Enum(WEBHOOK_DELIVERY_STATUSES),
    attempts: Type.Integer({ minimum: 0 }),
    next_attempt_at: Type.Optional({ ...Timestamp, description: "When a PENDING delivery is next tried" }),
    last_attempt_at: Type.Optional(Timestamp),
    last_response_code: Type.Optional(Type.Integer({ description: "The HTTP status of the last answer" })),
    last_error: Type.Optional(Type.String({ description: "Why the last attempt got no 2xx" })),
    created_at: Timestamp,
    delivered_at: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export const WebhookDeliverySchema = shared("WebhookDelivery", WebhookDeliveryObject);

export const EndpointIdParam = { endpoint_id: Type.String({ format: "uuid" }) };
export const DeliveryIdParam = { delivery_id: Type.String({ format: "uuid" }) };

const iso = (date: Date | null): string | undefined => date?.toISOString();

export function presentWebhookEndpoint(
  e: WebhookEndpoint,
  options: { now: Date; secret?: string },
): Static<typeof WebhookEndpointObject> {
  const overlap =
    e.previousSecretExpiresAt && e.previousSecretExpiresAt.getTime() > options.now.getTime()
      ? e.previousSecretExpiresAt
      : null;
  return {
    endpoint_id: e.endpointId,
    url: e.url,
    description: e.description,
    events: [...e.events],
    status: e.status,
    created_at: e.createdAt.toISOString(),
    disabled_at: iso(e.disabledAt),
    previous_secret_expires_at: iso(overlap),
    secret: options.secret,
  };
}

export function presentWebhookDelivery(d: WebhookDelivery): Static<typeof WebhookDeliveryObject> {
  return {
    delivery_id: d.deliveryId,
    endpoint_id: d.endpointId,
    message_id: d.messageId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === "PENDING" ? d.nextAttemptAt.toISOString() : undefined,
    last_attempt_at: iso(d.lastAttemptAt),
    last_response_code: d.lastResponseCode ?? undefined,
    last_error: d.lastError ?? undefined,
    created_at: d.createdAt.toISOString(),
    delivered_at: iso(d.deliveredAt),
  };
}
