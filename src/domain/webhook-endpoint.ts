import type { WebhookEventType } from "./webhook-events.ts";

/** An account's webhook endpoint. Its signing secrets are kept encrypted; a partner sees one once. */
export interface WebhookEndpoint {
  endpointId: string;
  accountId: string;
  url: string;
  description: string;
  events: readonly WebhookEventType[];
  /** DISABLED after its deliveries failed for three days. */
  status: "ACTIVE" | "DISABLED";
  /** The signing secret, encrypted under the webhook-secrets key (see webhook-signing.ts). */
  secretCiphertext: string;
  /** The secret a rotation replaced, encrypted; it signs beside the new one until `previousSecretExpiresAt`. */
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  /** The first failure since the last successful delivery; null while deliveries succeed. */
  failingSince: Date | null;
  disabledAt: Date | null;
}

export const WEBHOOK_DELIVERY_STATUSES = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One message to one endpoint: a row of the outbox, and the delivery log's entry. */
export interface WebhookDelivery {
  deliveryId: string;
  endpointId: string;
  accountId: string;
  /** `webhook-id`: the same on every attempt and on a redelivery. */
  messageId: string;
  eventType: string;
  /** The body, as delivered: `{"type","timestamp","data"}`. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When it is next due (while PENDING); while claimed, when the claim lapses. */
  nextAttemptAt: Date;
  firstAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastResponseCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** The most endpoints one account may register. */
export const MAX_WEBHOOK_ENDPOINTS = 10;
