/** The rows of the lifecycle webhooks: endpoints, the outbox of deliveries, and the notices given. */
export interface WebhookEndpointsTable {
  endpoint_id: string;
  account_id: string;
  url: string;
  description: string;
  /** JSON array of the subscribed event types. */
  events: string;
  /** ACTIVE, or DISABLED after failing for three days. */
  status: string;
  /** The signing secret, encrypted (never in clear). */
  secret_ciphertext: string;
  /** The secret a rotation replaced, encrypted, and until when it still signs. */
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  /** The first failure since the last success; null while deliveries succeed. */
  failing_since: string | null;
  disabled_at: string | null;
}

/** The outbox: one row per message and endpoint, written in the transaction of the change. */
export interface WebhookDeliveriesTable {
  delivery_id: string;
  endpoint_id: string;
  account_id: string;
  /** `webhook-id`: the same for every attempt (and a redelivery) of the message. */
  message_id: string;
  event_type: string;
  payload: string;
  /** PENDING (due at next_attempt_at, or claimed until then), SUCCEEDED or FAILED. */
  status: string;
  attempts: number;
  next_attempt_at: string;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
  last_response_code: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/** Time-based notices already given (a certificate's 30-day notice, say), so each is given once. */
export interface WebhookNoticesTable {
  notice_key: string;
  account_id: string;
  recorded_at: string;
}

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_notices: WebhookNoticesTable;
}
