import type { AuditEvent, ClientCertificate, Credential } from "../domain/types.ts";
import type { WebhookDelivery, WebhookEndpoint } from "../domain/webhook-endpoint.ts";
import type { Page } from "./port.ts";

/** A due delivery, claimed by this instance until `delivery.nextAttemptAt`, with its endpoint. */
export interface ClaimedWebhookDelivery {
  delivery: WebhookDelivery;
  endpoint: WebhookEndpoint;
}

/** How an attempt ended, as the dispatcher records it. */
export interface WebhookAttempt {
  deliveryId: string;
  /** The attempt number the claim gave; a record for an attempt since re-claimed is ignored. */
  attempt: number;
  at: Date;
  responseCode: number | null;
  error: string | null;
  delivered: boolean;
  /** When a failed delivery is tried again; null: never (it is FAILED). */
  retryAt: Date | null;
  /** A failure disables the endpoint when it has been failing since this instant or earlier… */
  disableIfFailingSince: Date;
  /** …with this audit event, which tells the partner. */
  disableAudit: AuditEvent;
}

/** Credentials, certificates and enforcements that a time-based notice may be due for. */
export interface NoticeCandidates {
  /** ACTIVE credentials whose rotation overlap ends within the window, not noticed yet. */
  rotations: Credential[];
  /** Certificates not revoked that are due a notice (`days` before their expiry) not given yet. */
  certificates: { certificate: ClientCertificate; days: number }[];
  /** Accounts whose mTLS enforcement began within the window, not noticed yet. */
  enforcements: { accountId: string; enforcedFrom: Date }[];
}

/** The lifecycle webhooks' part of the Store port (see `Store`). */
export interface WebhookPort {
  /** Stores an endpoint with its audit event, unless the account holds `max` already (then false). */
  insertWebhookEndpoint(input: {
    endpoint: WebhookEndpoint;
    max: number;
    audit: AuditEvent;
  }): Promise<boolean>;
  /** The account's endpoints, oldest first. */
  listWebhookEndpoints(accountId: string): Promise<WebhookEndpoint[]>;
  findWebhookEndpoint(accountId: string, endpointId: string): Promise<WebhookEndpoint | null>;
  /** Removes the endpoint and its deliveries, with the audit event; false when unknown. */
  deleteWebhookEndpoint(input: {
    accountId: string;
    endpointId: string;
    audit: AuditEvent;
  }): Promise<boolean>;
  /**
   * Makes `secretCiphertext` the signing secret and keeps the one it replaces signing until
   * `previousExpiresAt`, with the audit event; null when the endpoint is unknown.
   */
  replaceWebhookSecret(input: {
    accountId: string;
    endpointId: string;
    secretCiphertext: string;
    previousExpiresAt: Date;
    audit: AuditEvent;
  }): Promise<WebhookEndpoint | null>;
  /** Queues a message for one endpoint outside any change (a test message, a redelivery). */
  insertWebhookDelivery(delivery: WebhookDelivery): Promise<void>;
  /** The endpoint's deliveries, newest first. */
  listWebhookDeliveries(query: Page & { accountId: string; endpointId: string }): Promise<WebhookDelivery[]>;
  findWebhookDelivery(
    accountId: string,
    endpointId: string,
    deliveryId: string,
  ): Promise<WebhookDelivery | null>;
  /**
   * Claims up to `limit` PENDING deliveries due by `now` whose endpoint is ACTIVE: each is held until
   * `leaseUntil` (then due again, should this instance die) and its attempt counted. With several
   * instances each delivery is claimed by one.
   */
  claimDueWebhookDeliveries(input: {
    now: Date;
    leaseUntil: Date;
    limit: number;
  }): Promise<ClaimedWebhookDelivery[]>;
  /**
   * Records an attempt's outcome, in one transaction with its endpoint's state: a success clears the
   * endpoint's failing time, a failure sets it and may disable the endpoint. Returns whether the
   * attempt was recorded (the claim still held) and whether the endpoint was disabled.
   */
  recordWebhookAttempt(attempt: WebhookAttempt): Promise<{ recorded: boolean; endpointDisabled: boolean }>;
  /**
   * What a time-based notice is due for and was not given yet (by the keys of
   * `domain/webhook-events.ts`), each list at most `limit` long: rotations ending by
   * `rotationsEndingBy`, certificates whose expiry falls in one of the windows, enforcements that
   * began after `enforcedSince`.
   */
  findNoticeCandidates(input: {
    now: Date;
    rotationsEndingBy: Date;
    certificateWindows: readonly { days: number; after: Date; until: Date }[];
    enforcedSince: Date;
    limit: number;
  }): Promise<NoticeCandidates>;
  /**
   * Forgets what is settled: SUCCEEDED and FAILED deliveries created before `deliveriesBefore`, and
   * markers of notices given before `noticesBefore` (long past any window they guard); returns how
   * many rows went.
   */
  purgeWebhookHistory(input: { deliveriesBefore: Date; noticesBefore: Date }): Promise<number>;
  /**
   * Records each notice not given yet (by its key) with its audit event, whose webhook messages go to
   * the outbox in the same transaction; returns how many were new.
   */
  recordNotices(notices: readonly { noticeKey: string; audit: AuditEvent }[]): Promise<number>;
}
