import { type ClientOptions, type RequestSpec, Transport } from "./transport.ts";
import type {
  Account,
  AllowedOrigin,
  AuditEvent,
  AuditEventPage,
  ClientCertificate,
  ClientCertificatePage,
  ClientSession,
  CreatedCredential,
  Credential,
  CredentialFilters,
  CredentialPage,
  IpRestriction,
  IpRestrictionChange,
  MtlsEnforcement,
  NewCredential,
  NewPartnerAccount,
  NewWebhookEndpoint,
  PageOptions,
  PartnerAccountPage,
  RotationOptions,
  VerifiedClientSession,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
} from "./types.ts";

export interface PartnerClientOptions extends ClientOptions {
  /** Act on this Partner Account (with an Acquiring Partner's key) instead of the key's own account. */
  accountId?: string;
}

/** A change's own options: an idempotency key of your choosing (one is generated otherwise). */
export interface WriteOptions {
  idempotencyKey?: string | false;
}

const id = (value: string) => encodeURIComponent(value);

/**
 * The Partner Management API for one API key. POST and PATCH carry an idempotency key, reused on
 * retry; 429, 503 and failed connections are retried with backoff; non-2xx answers throw typed
 * errors (`ApiError` and its subclasses).
 */
export class PartnerClient {
  readonly #options: PartnerClientOptions;
  readonly #transport: Transport;

  constructor(options: PartnerClientOptions) {
    this.#options = options;
    this.#transport = new Transport(options);
  }

  /** The same client acting on one of the caller's Partner Accounts. */
  forPartnerAccount(accountId: string): PartnerClient {
    return new PartnerClient({ ...this.#options, accountId });
  }

  get #account(): string {
    const accountId = this.#options.accountId;
    return accountId === undefined ? "/v1/account" : `/v1/accounts/${id(accountId)}`;
  }

  #call<T>(spec: RequestSpec): Promise<T> {
    return this.#transport.request<T>(spec);
  }

  /** Every item of a paginated list, fetching pages as the loop goes. */
  async *#pages<P extends { next_page_token?: string }, I>(
    fetchPage: (pageToken: string | undefined) => Promise<P>,
    itemsOf: (page: P) => I[],
  ): AsyncGenerator<I> {
    let token: string | undefined;
    do {
      const page = await fetchPage(token);
      yield* itemsOf(page);
      token = page.next_page_token;
    } while (token);
  }

  getAccount(): Promise<Account> {
    return this.#call({ method: "GET", path: this.#account });
  }

  // Credentials

  createCredential(input: NewCredential, options: WriteOptions = {}): Promise<CreatedCredential> {
    return this.#call({ method: "POST", path: `${this.#account}/credentials`, body: input, ...options });
  }

  listCredentials(filters: CredentialFilters & PageOptions = {}): Promise<CredentialPage> {
    return this.#call({ method: "GET", path: `${this.#account}/credentials`, query: { ...filters } });
  }

  /** Every credential matching the filters, newest first, across pages. */
  credentials(filters: CredentialFilters & { page_size?: number } = {}): AsyncGenerator<Credential> {
    return this.#pages(
      (page_token) => this.listCredentials({ ...filters, page_token }),
      (page) => page.credentials,
    );
  }

  getCredential(credentialId: string): Promise<Credential> {
    return this.#call({ method: "GET", path: `${this.#account}/credentials/${id(credentialId)}` });
  }

  updateCredential(
    credentialId: string,
    input: { description: string },
    options: WriteOptions = {},
  ): Promise<Credential> {
    return this.#call({
      method: "PATCH",
      path: `${this.#account}/credentials/${id(credentialId)}`,
      body: input,
      ...options,
    });
  }

  async disableCredential(credentialId: string): Promise<void> {
    await this.#call({ method: "DELETE", path: `${this.#account}/credentials/${id(credentialId)}` });
  }

  enableCredential(credentialId: string, options: WriteOptions = {}): Promise<Credential> {
    return this.#call({
      method: "POST",
      path: `${this.#account}/credentials/${id(credentialId)}/enable`,
      ...options,
    });
  }

  /** A successor with a fresh key; the old one keeps working for the overlap (default 24 h). */
  rotateCredential(
    credentialId: string,
    rotation: RotationOptions = {},
    options: WriteOptions = {},
  ): Promise<CreatedCredential> {
    return this.#call({
      method: "POST",
      path: `${this.#account}/credentials/${id(credentialId)}/rotate`,
      body: rotation,
      ...options,
    });
  }

  // Audit

  listAuditEvents(page: PageOptions = {}): Promise<AuditEventPage> {
    return this.#call({ method: "GET", path: `${this.#account}/audit-events`, query: { ...page } });
  }

  auditEvents(options: { page_size?: number } = {}): AsyncGenerator<AuditEvent> {
    return this.#pages(
      (page_token) => this.listAuditEvents({ ...options, page_token }),
      (page) => page.audit_events,
    );
  }

  // Partner Accounts (Acquiring Partners)

  createPartnerAccount(input: NewPartnerAccount, options: WriteOptions = {}): Promise<Account> {
    return this.#call({ method: "POST", path: "/v1/accounts", body: input, ...options });
  }

  listPartnerAccounts(page: PageOptions = {}): Promise<PartnerAccountPage> {
    return this.#call({ method: "GET", path: "/v1/accounts", query: { ...page } });
  }

  partnerAccounts(options: { page_size?: number } = {}): AsyncGenerator<Account> {
    return this.#pages(
      (page_token) => this.listPartnerAccounts({ ...options, page_token }),
      (page) => page.accounts,
    );
  }

  // Client certificates and mTLS

  /** Signs a CSR (EC P-256, CN = the last segment of the account id) into a client certificate. */
  requestClientCertificate(
    input: { certificate_signing_request: string; description?: string },
    options: WriteOptions = {},
  ): Promise<ClientCertificate> {
    return this.#call({
      method: "POST",
      path: `${this.#account}/client-certificates`,
      body: input,
      ...options,
    });
  }

  listClientCertificates(page: PageOptions = {}): Promise<ClientCertificatePage> {
    return this.#call({ method: "GET", path: `${this.#account}/client-certificates`, query: { ...page } });
  }

  getClientCertificate(certificateId: string): Promise<ClientCertificate> {
    return this.#call({ method: "GET", path: `${this.#account}/client-certificates/${id(certificateId)}` });
  }

  /** Revokes a certificate; the last valid one under mTLS enforcement only with `force`. */
  async revokeClientCertificate(certificateId: string, options: { force?: boolean } = {}): Promise<void> {
    await this.#call({
      method: "DELETE",
      path: `${this.#account}/client-certificates/${id(certificateId)}`,
      query: options.force ? { force: true } : {},
    });
  }

  /** The CA (PEM) that issues client certificates and, by default, the HTTPS listener's. */
  getCaCertificate(): Promise<string> {
    return this.#call({ method: "GET", path: `${this.#account}/client-certificates/ca`, text: true });
  }

  getMtlsEnforcement(): Promise<MtlsEnforcement> {
    return this.#call({ method: "GET", path: `${this.#account}/mtls-enforcement` });
  }

  /** `NOW` or an ISO 8601 instant at most 3 months ahead. */
  enforceMtls(enforcedFrom: string, options: { force?: boolean } = {}): Promise<MtlsEnforcement> {
    return this.#call({
      method: "PUT",
      path: `${this.#account}/mtls-enforcement`,
      body: { enforced_from: enforcedFrom, ...(options.force ? { force: true } : {}) },
    });
  }

  liftMtlsEnforcement(): Promise<MtlsEnforcement> {
    return this.#call({ method: "DELETE", path: `${this.#account}/mtls-enforcement` });
  }

  // IP allow-list

  getIpRestriction(): Promise<IpRestriction> {
    return this.#call({ method: "GET", path: `${this.#account}/ip-restriction` });
  }

  setIpRestriction(input: IpRestrictionChange): Promise<IpRestriction> {
    return this.#call({ method: "PUT", path: `${this.#account}/ip-restriction`, body: input });
  }

  // Allowed web origins and browser sessions (Client IDs)

  addAllowedOrigin(origin: string, options: WriteOptions = {}): Promise<AllowedOrigin> {
    return this.#call({
      method: "POST",
      path: `${this.#account}/allowed-origins`,
      body: { origin },
      ...options,
    });
  }

  async listAllowedOrigins(): Promise<AllowedOrigin[]> {
    const page = await this.#call<{ allowed_origins: AllowedOrigin[] }>({
      method: "GET",
      path: `${this.#account}/allowed-origins`,
    });
    return page.allowed_origins;
  }

  async removeAllowedOrigin(originId: string): Promise<void> {
    await this.#call({ method: "DELETE", path: `${this.#account}/allowed-origins/${id(originId)}` });
  }

  // Lifecycle webhooks (managed with a LIVE key)

  /** Registers an endpoint; the answer's `secret` (`whsec_…`) is shown this once. */
  createWebhookEndpoint(input: NewWebhookEndpoint, options: WriteOptions = {}): Promise<WebhookEndpoint> {
    return this.#call({ method: "POST", path: `${this.#account}/webhooks`, body: input, ...options });
  }

  async listWebhookEndpoints(): Promise<WebhookEndpoint[]> {
    const page = await this.#call<{ webhooks: WebhookEndpoint[] }>({
      method: "GET",
      path: `${this.#account}/webhooks`,
    });
    return page.webhooks;
  }

  async deleteWebhookEndpoint(endpointId: string): Promise<void> {
    await this.#call({ method: "DELETE", path: `${this.#account}/webhooks/${id(endpointId)}` });
  }

  /** A new secret, shown this once; the old one keeps signing beside it for 24 hours. */
  rotateWebhookSecret(endpointId: string, options: WriteOptions = {}): Promise<WebhookEndpoint> {
    return this.#call({
      method: "POST",
      path: `${this.#account}/webhooks/${id(endpointId)}/rotate-secret`,
      ...options,
    });
  }

  /** Queues a signed `webhook.test` message to the endpoint. */
  testWebhookEndpoint(endpointId: string, options: WriteOptions = {}): Promise<WebhookDelivery> {
    return this.#call({
      method: "POST",
      path: `${this.#account}/webhooks/${id(endpointId)}/test`,
      ...options,
    });
  }

  listWebhookDeliveries(endpointId: string, page: PageOptions = {}): Promise<WebhookDeliveryPage> {
    return this.#call({
      method: "GET",
      path: `${this.#account}/webhooks/${id(endpointId)}/deliveries`,
      query: { ...page },
    });
  }

  /** Sends a message again (same `webhook-id` and body) as a new delivery. */
  redeliverWebhookDelivery(
    endpointId: string,
    deliveryId: string,
    options: WriteOptions = {},
  ): Promise<WebhookDelivery> {
    return this.#call({
      method: "POST",
      path: `${this.#account}/webhooks/${id(endpointId)}/deliveries/${id(deliveryId)}/redeliver`,
      ...options,
    });
  }

  /** What a page at `origin` gets for a Client ID (normally called by the browser itself). */
  createClientSession(clientId: string, origin: string): Promise<ClientSession> {
    return this.#call({
      method: "POST",
      path: "/v1/client/sessions",
      body: { client_id: clientId },
      headers: { origin },
      idempotencyKey: false,
    });
  }

  /** Checks a session token a page sent to your server: whose it is, and for which origin. */
  verifyClientSession(sessionToken: string, origin: string): Promise<VerifiedClientSession> {
    return this.#call({
      method: "POST",
      path: "/v1/client/sessions/verify",
      body: { session_token: sessionToken, origin },
      idempotencyKey: false,
    });
  }
}
