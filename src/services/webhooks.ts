import { AppError, invalidParameter, notFound } from "../domain/errors.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import type { Account } from "../domain/types.ts";
import { SECRET_OVERLAP_MS } from "../domain/webhook-delivery.ts";
import {
  MAX_WEBHOOK_ENDPOINTS,
  type WebhookDelivery,
  type WebhookEndpoint,
} from "../domain/webhook-endpoint.ts";
import {
  isWebhookEventType,
  WEBHOOK_TEST_EVENT,
  type WebhookEventType,
  webhookPayload,
} from "../domain/webhook-events.ts";
import { newWebhookSecret, sealWebhookSecret } from "../domain/webhook-signing.ts";
import { checkWebhookUrl } from "../domain/webhook-targets.ts";
import { auditEvent } from "./audit.ts";
import { fetchPage, type Paged } from "./paging.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";
import type { WebhookTransport } from "./webhook-transport.ts";

export interface WebhookOptions {
  /** The key the signing secrets are encrypted under (HKDF of the session secret, `webhook-secrets/v1`). */
  secretsKey: Uint8Array;
  transport: WebhookTransport;
  /** `WEBHOOK_ALLOW_INSECURE_TARGETS`: http and private addresses allowed (development only). */
  allowInsecureTargets: boolean;
}

export interface NewEndpoint {
  url: string;
  events: readonly string[];
  description?: string;
}

/** An endpoint with the secret it signs with, as answered once: at creation and at rotation. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

/** Partners' webhook endpoints: registered, listed, removed, their secrets rotated, test messages and redeliveries. */
export class WebhookService {
  readonly #runtime: ServiceRuntime;
  readonly #options: WebhookOptions;

  constructor(runtime: ServiceRuntime, options: WebhookOptions) {
    this.#runtime = runtime;
    this.#options = options;
  }

  /** Checks the URL (and where its name resolves to) and the events, then stores the endpoint. */
  async create(account: Account, context: RequestContext, input: NewEndpoint): Promise<EndpointWithSecret> {
    assertSeesEveryEnvironment(context);
    const events = subscribedEvents(input.events);
    const url = await this.#vettedUrl(input.url);
    const { clock, random } = this.#runtime;
    const endpointId = newUuidV7(clock, random);
    const secret = newWebhookSecret(random);
    const endpoint: WebhookEndpoint = {
      endpointId,
      accountId: account.accountId,
      url,
      description: input.description ?? "",
      events,
      status: "ACTIVE",
      secretCiphertext: sealWebhookSecret(this.#options.secretsKey, endpointId, secret, random),
      previousSecretCiphertext: null,
      previousSecretExpiresAt: null,
      createdAt: clock.now(),
      failingSince: null,
      disabledAt: null,
    };
    const inserted = await this.#runtime.store.insertWebhookEndpoint({
      endpoint,
      max: MAX_WEBHOOK_ENDPOINTS,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "webhook_endpoint.created",
        targetType: "WEBHOOK_ENDPOINT",
        targetId: endpointId,
        statusAfter: "ACTIVE",
      }),
    });
    if (!inserted) {
      throw new AppError(
        "INVALID_STATE",
        `An account can register at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints`,
      );
    }
    return { endpoint, secret };
  }

  list(account: Account, context: RequestContext): Promise<WebhookEndpoint[]> {
    assertSeesEveryEnvironment(context);
    return this.#runtime.store.listWebhookEndpoints(account.accountId);
  }

  async get(account: Account, context: RequestContext, endpointId: string): Promise<WebhookEndpoint> {
    assertSeesEveryEnvironment(context);
    const endpoint = await this.#runtime.store.findWebhookEndpoint(account.accountId, endpointId);
    if (!endpoint) throw notFound("Webhook endpoint");
    return endpoint;
  }

  async delete(account: Account, context: RequestContext, endpointId: string): Promise<void> {
    assertSeesEveryEnvironment(context);
    const deleted = await this.#runtime.store.deleteWebhookEndpoint({
      accountId: account.accountId,
      endpointId,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "webhook_endpoint.deleted",
        targetType: "WEBHOOK_ENDPOINT",
        targetId: endpointId,
      }),
    });
    if (!deleted) throw notFound("Webhook endpoint");
  }

  /** A new secret; the one it replaces keeps signing beside it for 24 hours. */
  async rotateSecret(
    account: Account,
    context: RequestContext,
    endpointId: string,
  ): Promise<EndpointWithSecret> {
    const { clock, random } = this.#runtime;
    const secret = newWebhookSecret(random);
    const endpoint = await this.#runtime.store.replaceWebhookSecret({
      accountId: account.accountId,
      endpointId,
      secretCiphertext: sealWebhookSecret(this.#options.secretsKey, endpointId, secret, random),
      previousExpiresAt: new Date(clock.now().getTime() + SECRET_OVERLAP_MS),
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "webhook_endpoint.secret_rotated",
        targetType: "WEBHOOK_ENDPOINT",
        targetId: endpointId,
      }),
    });
    if (!endpoint) throw notFound("Webhook endpoint");
    return { endpoint, secret };
  }

  /** Queues a `webhook.test` message to the endpoint, delivered (and logged) as any other. */
  async sendTest(account: Account, context: RequestContext, endpointId: string): Promise<WebhookDelivery> {
    const endpoint = await this.get(account, context, endpointId);
    assertActive(endpoint);
    const { clock, random } = this.#runtime;
    const now = clock.now();
    const messageId = `msg_${newUuidV7(clock, random)}`;
    const delivery = newDelivery(this.#runtime, {
      endpoint,
      messageId,
      eventType: WEBHOOK_TEST_EVENT,
      payload: webhookPayload(WEBHOOK_TEST_EVENT, now, {
        account_id: account.accountId,
        endpoint_id: endpoint.endpointId,
      }),
    });
    await this.#runtime.store.insertWebhookDelivery(delivery);
    return delivery;
  }

  async deliveries(
    account: Account,
    context: RequestContext,
    endpointId: string,
    page: { pageSize: number; pageToken?: string },
  ): Promise<Paged<WebhookDelivery>> {
    await this.get(account, context, endpointId);
    return fetchPage(
      page.pageSize,
      page.pageToken,
      (p) => this.#runtime.store.listWebhookDeliveries({ accountId: account.accountId, endpointId, ...p }),
      (d) => ({ at: d.createdAt, id: d.deliveryId }),
    );
  }

  /** The same message (same `webhook-id` and body) once more, as a new delivery with a schedule of its own. */
  async redeliver(
    account: Account,
    context: RequestContext,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDelivery> {
    const endpoint = await this.get(account, context, endpointId);
    const original = await this.#runtime.store.findWebhookDelivery(account.accountId, endpointId, deliveryId);
    if (!original) throw notFound("Webhook delivery");
    assertActive(endpoint);
    const delivery = newDelivery(this.#runtime, {
      endpoint,
      messageId: original.messageId,
      eventType: original.eventType,
      payload: original.payload,
    });
    await this.#runtime.store.insertWebhookDelivery(delivery);
    return delivery;
  }

  async #vettedUrl(text: string): Promise<string> {
    const checked = checkWebhookUrl(text, { allowInsecure: this.#options.allowInsecureTargets });
    if (!checked.ok) throw invalidParameter("url", checked.problem);
    const vetted = await this.#options.transport.vet(checked.url);
    if (!vetted.ok) throw invalidParameter("url", vetted.problem);
    return checked.url.toString();
  }
}

/**
 * An endpoint receives the events of every environment of the account, so a TEST key (which sees
 * TEST objects only) may not manage one.
 */
function assertSeesEveryEnvironment(context: RequestContext): void {
  if (context.environments !== undefined && !context.environments.includes("LIVE")) {
    throw new AppError(
      "FORBIDDEN",
      "Webhook endpoints receive the events of every environment: manage them with a LIVE key",
    );
  }
}

function assertActive(endpoint: WebhookEndpoint): void {
  if (endpoint.status !== "ACTIVE") {
    throw new AppError(
      "INVALID_STATE",
      "The endpoint was disabled after failing for 3 days; register it again to receive messages",
    );
  }
}

/** The subscribed types, once each, in the table's order; every one must be a known event type. */
function subscribedEvents(requested: readonly string[]): WebhookEventType[] {
  if (requested.length === 0) throw invalidParameter("events", "must name at least one event type");
  for (const type of requested) {
    if (!isWebhookEventType(type))
      throw invalidParameter("events", `"${type.slice(0, 64)}" is not an event type`);
  }
  return [...new Set(requested as WebhookEventType[])];
}

function newDelivery(
  runtime: ServiceRuntime,
  input: { endpoint: WebhookEndpoint; messageId: string; eventType: string; payload: string },
): WebhookDelivery {
  const now = runtime.clock.now();
  return {
    deliveryId: newUuidV7(runtime.clock, runtime.random),
    endpointId: input.endpoint.endpointId,
    accountId: input.endpoint.accountId,
    messageId: input.messageId,
    eventType: input.eventType,
    payload: input.payload,
    status: "PENDING",
    attempts: 0,
    nextAttemptAt: now,
    firstAttemptAt: null,
    lastAttemptAt: null,
    lastResponseCode: null,
    lastError: null,
    createdAt: now,
    deliveredAt: null,
  };
}
