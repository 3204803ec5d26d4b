import {
  DELIVERY_LEASE_MS,
  DELIVERY_LOG_RETENTION_MS,
  DELIVERY_TIMEOUT_MS,
  ENDPOINT_FAILING_LIMIT_MS,
  isDelivered,
  NOTICE_MARKER_RETENTION_MS,
  nextAttemptAt,
} from "../domain/webhook-delivery.ts";
import type { WebhookEndpoint } from "../domain/webhook-endpoint.ts";
import { openWebhookSecret, signWebhook } from "../domain/webhook-signing.ts";
import type { ClaimedWebhookDelivery } from "../store/webhook-port.ts";
import { auditEvent } from "./audit.ts";
import type { ServiceRuntime } from "./runtime.ts";
import type { WebhookResponse, WebhookTransport } from "./webhook-transport.ts";

export interface DispatchOptions {
  secretsKey: Uint8Array;
  transport: WebhookTransport;
  /** Deliveries claimed (and sent at once) per round. */
  batchSize?: number;
  /** How long one attempt may take; 10 s. */
  timeoutMs?: number;
}

/** What a dispatch run did, for logs and metrics. */
export interface DispatchReport {
  delivered: number;
  failed: number;
  endpointsDisabled: number;
}

/**
 * Sends the outbox: claims the due deliveries (each by one instance), signs each attempt with the
 * endpoint's secrets by the Standard Webhooks specification, and records the outcome. A failure is
 * tried again on the schedule of `RETRY_OFFSETS_MS`; an endpoint failing for three days is
 * disabled, and an audit event tells the partner.
 */
export class WebhookDispatcher {
  readonly #runtime: ServiceRuntime;
  readonly #options: Required<DispatchOptions>;

  constructor(runtime: ServiceRuntime, options: DispatchOptions) {
    this.#runtime = runtime;
    this.#options = { batchSize: 50, timeoutMs: DELIVERY_TIMEOUT_MS, ...options };
  }

  /** Rounds of claim-and-send until nothing is due or `signal` is aborted. */
  async dispatch(signal?: AbortSignal): Promise<DispatchReport> {
    const report: DispatchReport = { delivered: 0, failed: 0, endpointsDisabled: 0 };
    while (signal?.aborted !== true) {
      const now = this.#runtime.clock.now();
      const claimed = await this.#runtime.store.claimDueWebhookDeliveries({
        now,
        leaseUntil: new Date(now.getTime() + DELIVERY_LEASE_MS),
        limit: this.#options.batchSize,
      });
      await Promise.all(claimed.map((claim) => this.#attempt(claim, report, signal)));
      if (claimed.length < this.#options.batchSize) break;
    }
    return report;
  }

  /** Forgets deliveries settled 30 days ago and notice markers past every window; returns how many rows went. */
  purgeHistory(): Promise<number> {
    const now = this.#runtime.clock.now().getTime();
    return this.#runtime.store.purgeWebhookHistory({
      deliveriesBefore: new Date(now - DELIVERY_LOG_RETENTION_MS),
      noticesBefore: new Date(now - NOTICE_MARKER_RETENTION_MS),
    });
  }

  async #attempt(
    claim: ClaimedWebhookDelivery,
    report: DispatchReport,
    stopping?: AbortSignal,
  ): Promise<void> {
    const { delivery, endpoint } = claim;
    const at = this.#runtime.clock.now();
    const response = await this.#send(claim, at, stopping);
    // Stopping mid-attempt: the claim lapses and the delivery is sent again after a restart.
    if (stopping?.aborted && response.kind === "FAILED") return;
    const delivered = response.kind === "ANSWERED" && isDelivered(response.status);
    const firstAttemptAt = delivery.firstAttemptAt ?? at;
    const outcome = await this.#runtime.store.recordWebhookAttempt({
      deliveryId: delivery.deliveryId,
      attempt: delivery.attempts,
      at,
      responseCode: response.kind === "ANSWERED" ? response.status : null,
      error:
        response.kind === "FAILED"
          ? response.error.slice(0, 300)
          : delivered
            ? null
            : `answered ${response.status}`,
      delivered,
      retryAt: delivered ? null : nextAttemptAt(firstAttemptAt, delivery.attempts),
      disableIfFailingSince: new Date(at.getTime() - ENDPOINT_FAILING_LIMIT_MS),
      disableAudit: auditEvent(
        this.#runtime,
        { actor: { kind: "system" }, sourceIp: null },
        {
          accountId: endpoint.accountId,
          action: "webhook_endpoint.disabled",
          targetType: "WEBHOOK_ENDPOINT",
          targetId: endpoint.endpointId,
          statusBefore: "ACTIVE",
          statusAfter: "DISABLED",
          reason: "FAILING",
          at,
        },
      ),
    });
    if (delivered) report.delivered += 1;
    else report.failed += 1;
    if (outcome.endpointDisabled) report.endpointsDisabled += 1;
  }

  /** Signs and sends one attempt; a secret that cannot be opened (another SESSION_SECRET) fails it. */
  async #send(claim: ClaimedWebhookDelivery, at: Date, stopping?: AbortSignal): Promise<WebhookResponse> {
    const { delivery, endpoint } = claim;
    let secrets: string[];
    try {
      secrets = this.#secretsOf(endpoint, at);
    } catch {
      return { kind: "FAILED", error: "the signing secret cannot be opened: was SESSION_SECRET changed?" };
    }
    const signed = signWebhook(secrets, { id: delivery.messageId, at, body: delivery.payload });
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    try {
      return await this.#options.transport.send(
        {
          url: endpoint.url,
          headers: {
            "content-type": "application/json",
            "user-agent": "partner-credentials-webhooks",
            ...signed,
          },
          body: delivery.payload,
        },
        stopping ? AbortSignal.any([timeout, stopping]) : timeout,
      );
    } catch (error) {
      return { kind: "FAILED", error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The current secret, and the one a rotation replaced while it still signs. */
  #secretsOf(endpoint: WebhookEndpoint, at: Date): string[] {
    const key = this.#options.secretsKey;
    const secrets = [openWebhookSecret(key, endpoint.endpointId, endpoint.secretCiphertext)];
    if (
      endpoint.previousSecretCiphertext !== null &&
      endpoint.previousSecretExpiresAt !== null &&
      endpoint.previousSecretExpiresAt.getTime() > at.getTime()
    ) {
      secrets.push(openWebhookSecret(key, endpoint.endpointId, endpoint.previousSecretCiphertext));
    }
    return secrets;
  }
}
