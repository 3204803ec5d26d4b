import { requestJson } from "./http.ts";
import type {
  Account,
  AuditEvent,
  CreatedCredential,
  Credential,
  CredentialStatus,
  CredentialType,
  Environment,
  Page,
} from "./types.ts";

export interface PartnerClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Act on this Partner Account (an Acquiring Partner's key) instead of the caller's own account. */
  accountId?: string;
}

/** Typed client of the Partner Management API. Imports nothing of the server. */
export class PartnerClient {
  readonly #options: PartnerClientOptions;

  constructor(options: PartnerClientOptions) {
    this.#options = options;
  }

  /** The same client acting on one of the caller's Partner Accounts. */
  forPartnerAccount(accountId: string): PartnerClient {
    return new PartnerClient({ ...this.#options, accountId });
  }

  get #base(): string {
    const id = this.#options.accountId;
    return id === undefined ? "/v1/account" : `/v1/accounts/${encodeURIComponent(id)}`;
  }

  #request<T>(options: Parameters<typeof requestJson>[2]): Promise<T> {
    return requestJson<T>(this.#options.baseUrl, `Basic ${this.#options.apiKey}`, options);
  }

  getAccount(): Promise<Account> {
    return this.#request({ method: "GET", path: this.#base });
  }

  createCredential(
    input: { type: CredentialType; environment: Environment; description?: string },
    options: { idempotencyKey?: string } = {},
  ): Promise<CreatedCredential> {
    return this.#request({
      method: "POST",
      path: `${this.#base}/credentials`,
      body: input,
      headers: options.idempotencyKey ? { "Klarna-Idempotency-Key": options.idempotencyKey } : {},
    });
  }

  listCredentials(
    filters: Page & { type?: CredentialType; environment?: Environment; status?: CredentialStatus } = {},
  ): Promise<{ credentials: Credential[]; next_page_token?: string }> {
    return this.#request({ method: "GET", path: `${this.#base}/credentials`, query: { ...filters } });
  }

  getCredential(credentialId: string): Promise<Credential> {
    return this.#request({ method: "GET", path: `${this.#base}/credentials/${credentialId}` });
  }

  updateCredential(credentialId: string, input: { description: string }): Promise<Credential> {
    return this.#request({ method: "PATCH", path: `${this.#base}/credentials/${credentialId}`, body: input });
  }

  async disableCredential(credentialId: string): Promise<void> {
    await this.#request({ method: "DELETE", path: `${this.#base}/credentials/${credentialId}` });
  }

  enableCredential(credentialId: string): Promise<Credential> {
    return this.#request({ method: "POST", path: `${this.#base}/credentials/${credentialId}/enable` });
  }

  rotateCredential(
    credentialId: string,
    options: { overlap?: string; end_overlap?: "AT_EXPIRY" | "WHEN_OLD_KEY_IDLE" } = {},
  ): Promise<CreatedCredential> {
    return this.#request({
      method: "POST",
      path: `${this.#base}/credentials/${credentialId}/rotate`,
      body: options,
    });
  }

  listAuditEvents(page: Page = {}): Promise<{ audit_events: AuditEvent[]; next_page_token?: string }> {
    return this.#request({ method: "GET", path: `${this.#base}/audit-events`, query: { ...page } });
  }

  createPartnerAccount(input: {
    name: string;
    environment?: Environment;
    partner_account_reference?: string;
  }): Promise<Account> {
    return this.#request({ method: "POST", path: "/v1/accounts", body: input });
  }

  listPartnerAccounts(page: Page = {}): Promise<{ accounts: Account[]; next_page_token?: string }> {
    return this.#request({ method: "GET", path: "/v1/accounts", query: { ...page } });
  }
}
