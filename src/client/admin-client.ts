import { requestJson } from "./http.ts";
import type {
  Account,
  AccountSuspension,
  AdminAccount,
  AuditChainCheck,
  ConsoleAccountRole,
  ConsoleInvitation,
  ConsoleUserRecord,
  CreatedAccount,
  Credential,
  CredentialStatus,
  Environment,
  IpRestriction,
  MtlsEnforcement,
  OnboardingLink,
  Page,
  RateLimits,
  ServiceToken,
} from "./types.ts";

const accountPath = (accountId: string): string => `/admin/v1/accounts/${encodeURIComponent(accountId)}`;

/** Typed client of the operator API (`/admin/v1`), used by `partnerctl admin`. */
export class AdminClient {
  readonly #baseUrl: string;
  readonly #token: string;

  constructor(options: { baseUrl: string; token: string }) {
    this.#baseUrl = options.baseUrl;
    this.#token = options.token;
  }

  #request<T>(options: Parameters<typeof requestJson>[2]): Promise<T> {
    return requestJson<T>(this.#baseUrl, `Bearer ${this.#token}`, options);
  }

  createAccount(input: { name: string; environment?: Environment }): Promise<CreatedAccount> {
    return this.#request({ method: "POST", path: "/admin/v1/accounts", body: input });
  }

  listAccounts(page: Page = {}): Promise<{ accounts: Account[]; next_page_token?: string }> {
    return this.#request({ method: "GET", path: "/admin/v1/accounts", query: { ...page } });
  }

  /** Suspension, mTLS, IP allow-list, rate limits and credential counts of one account. */
  getAccount(accountId: string): Promise<AdminAccount> {
    return this.#request({ method: "GET", path: accountPath(accountId) });
  }

  /** Every credential of the account, newest first, DELETED ones still stored included. */
  listCredentials(
    accountId: string,
    query: Page & { status?: CredentialStatus } = {},
  ): Promise<{ credentials: Credential[]; next_page_token?: string }> {
    return this.#request({
      method: "GET",
      path: `${accountPath(accountId)}/credentials`,
      query: { ...query },
    });
  }

  /** Lifts mTLS enforcement (certificates stay), so that a locked-out partner can call again. */
  liftMtlsEnforcement(accountId: string): Promise<MtlsEnforcement> {
    return this.#request({ method: "DELETE", path: `${accountPath(accountId)}/mtls-enforcement` });
  }

  /** The IP allow-list back to NOT_ENABLED with no addresses. */
  resetIpRestriction(accountId: string): Promise<IpRestriction> {
    return this.#request({ method: "DELETE", path: `${accountPath(accountId)}/ip-restriction` });
  }

  /** Every key of the account gets 401 until it is resumed; credential statuses stay. */
  suspendAccount(accountId: string, input: { reason?: string } = {}): Promise<AccountSuspension> {
    return this.#request({ method: "POST", path: `${accountPath(accountId)}/suspend`, body: input });
  }

  resumeAccount(accountId: string, input: { reason?: string } = {}): Promise<AccountSuspension> {
    return this.#request({ method: "POST", path: `${accountPath(accountId)}/resume`, body: input });
  }

  enableCredential(accountId: string, credentialId: string): Promise<Credential> {
    return this.#request({
      method: "POST",
      path: `/admin/v1/accounts/${encodeURIComponent(accountId)}/credentials/${encodeURIComponent(credentialId)}/enable`,
    });
  }

  disableCredential(accountId: string, credentialId: string): Promise<Credential> {
    return this.#request({
      method: "POST",
      path: `/admin/v1/accounts/${encodeURIComponent(accountId)}/credentials/${encodeURIComponent(credentialId)}/disable`,
    });
  }

  getRateLimits(accountId: string): Promise<RateLimits> {
    return this.#request({
      method: "GET",
      path: `/admin/v1/accounts/${encodeURIComponent(accountId)}/rate-limits`,
    });
  }

  /** A limit per category (`100/1s`), or null to return the category to the default. */
  setRateLimits(accountId: string, limits: Record<string, string | null>): Promise<RateLimits> {
    return this.#request({
      method: "PUT",
      path: `/admin/v1/accounts/${encodeURIComponent(accountId)}/rate-limits`,
      body: { limits },
    });
  }

  issueOnboardingLink(accountId: string): Promise<OnboardingLink> {
    return this.#request({
      method: "POST",
      path: `/admin/v1/accounts/${encodeURIComponent(accountId)}/onboarding-link`,
    });
  }

  /** Invites a console user to the account; the one-time link is answered once. */
  inviteConsoleUser(
    accountId: string,
    input: { email: string; role: ConsoleAccountRole },
  ): Promise<ConsoleInvitation> {
    return this.#request({ method: "POST", path: `${accountPath(accountId)}/users`, body: input });
  }

  /** Invites one of the provider's support staff to the console as an operator (no account). */
  inviteConsoleOperator(input: { email: string }): Promise<ConsoleInvitation> {
    return this.#request({ method: "POST", path: "/admin/v1/operators/users", body: input });
  }

  /** An account's console users, or (`{ operators: true }`) the operators, oldest first. */
  listConsoleUsers(
    filter: { accountId: string } | { operators: true },
  ): Promise<{ console_users: ConsoleUserRecord[] }> {
    const query = "accountId" in filter ? { account_id: filter.accountId } : { operators: "true" };
    return this.#request({ method: "GET", path: "/admin/v1/console-users", query });
  }

  /**
   * Resets a console user's sign-in (password, TOTP and recovery codes forgotten, sessions ended):
   * answers their new one-time invitation link, once.
   */
  resetConsoleUser(userId: string): Promise<ConsoleInvitation> {
    return this.#request({
      method: "POST",
      path: `/admin/v1/console-users/${encodeURIComponent(userId)}/reset`,
    });
  }

  /** Removes a console user and ends their sessions (an account's last owner too). */
  async removeConsoleUser(userId: string): Promise<void> {
    await this.#request({ method: "DELETE", path: `/admin/v1/console-users/${encodeURIComponent(userId)}` });
  }

  createServiceToken(name: string): Promise<ServiceToken & { token: string }> {
    return this.#request({ method: "POST", path: "/admin/v1/service-tokens", body: { name } });
  }

  listServiceTokens(): Promise<{ service_tokens: ServiceToken[] }> {
    return this.#request({ method: "GET", path: "/admin/v1/service-tokens" });
  }

  revokeServiceToken(serviceTokenId: string): Promise<ServiceToken> {
    return this.#request({
      method: "POST",
      path: `/admin/v1/service-tokens/${encodeURIComponent(serviceTokenId)}/revoke`,
    });
  }

  verifyAuditChain(accountId: string): Promise<AuditChainCheck> {
    return this.#request({
      method: "GET",
      path: `/admin/v1/accounts/${encodeURIComponent(accountId)}/audit-chain`,
    });
  }
}
