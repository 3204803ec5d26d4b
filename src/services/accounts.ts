import { assertSuspensionReason } from "../domain/account-suspension.ts";
import { assertMayCreateIn, isVisible } from "../domain/environment-rules.ts";
import { AppError, notFound } from "../domain/errors.ts";
import { newAccountId } from "../domain/identifiers.ts";
import { type Account, actorLabel, DEFAULT_ACCOUNT_SECURITY, type Environment } from "../domain/types.ts";
import { auditEvent } from "./audit.ts";
import type { IssuedLink, OnboardingService } from "./onboarding.ts";
import { fetchPage, type Paged } from "./paging.ts";
import { idempotencyMark, type RequestContext, type ServiceRuntime } from "./runtime.ts";

type PageRequest = { pageSize: number; pageToken?: string };

/** Account use cases: operator onboarding of Acquiring Partners, and their Partner Accounts. */
export class AccountService {
  readonly #runtime: ServiceRuntime;
  readonly #onboarding: OnboardingService;

  constructor(runtime: ServiceRuntime, onboarding: OnboardingService) {
    this.#runtime = runtime;
    this.#onboarding = onboarding;
  }

  /** Operator: a new Acquiring Partner and the one-time link for its initial key. */
  async createAcquiringPartner(
    context: RequestContext,
    input: { name: string; environment: Environment },
  ): Promise<{ account: Account; link: IssuedLink }> {
    const account: Account = {
      accountId: newAccountId(input.environment, this.#runtime.random),
      name: input.name,
      kind: "ACQUIRING_PARTNER",
      environment: input.environment,
      parentAccountId: null,
      partnerAccountReference: null,
      createdAt: this.#runtime.clock.now(),
      createdBy: "operator",
      security: DEFAULT_ACCOUNT_SECURITY,
      suspension: null,
    };
    const link = this.#onboarding.newLink(account.accountId);
    await this.#runtime.store.createAccount({
      account,
      idempotency: idempotencyMark(context, account.accountId),
      link: link.link,
      audit: [
        auditEvent(this.#runtime, context, {
          accountId: account.accountId,
          action: "account.created",
          targetType: "ACCOUNT",
          targetId: account.accountId,
        }),
        auditEvent(this.#runtime, context, {
          accountId: account.accountId,
          action: "onboarding_link.issued",
          targetType: "ONBOARDING_LINK",
          targetId: link.link.linkId,
        }),
      ],
    });
    return { account, link };
  }

  /** An Acquiring Partner onboards a Partner Account beneath itself. */
  async createPartnerAccount(
    parent: Account,
    context: RequestContext,
    input: { name: string; environment?: Environment; partnerAccountReference?: string },
  ): Promise<Account> {
    assertAcquiringPartner(parent);
    // Without a choice: the parent's environment, or TEST for a TEST key.
    const environment =
      input.environment ??
      (isVisible(parent.environment, context.environments) ? parent.environment : "TEST");
    assertMayCreateIn(parent, environment, context.environments, "Partner Accounts");
    const account: Account = {
      accountId: newAccountId(environment, this.#runtime.random),
      name: input.name,
      kind: "PARTNER_ACCOUNT",
      environment,
      parentAccountId: parent.accountId,
      partnerAccountReference: input.partnerAccountReference ?? null,
      createdAt: this.#runtime.clock.now(),
      createdBy: actorLabel(context.actor),
      security: DEFAULT_ACCOUNT_SECURITY,
      suspension: null,
    };
    await this.#runtime.store.createAccount({
      account,
      idempotency: idempotencyMark(context, account.accountId),
      link: null,
      audit: [
        auditEvent(this.#runtime, context, {
          accountId: parent.accountId,
          action: "account.created",
          targetType: "ACCOUNT",
          targetId: account.accountId,
        }),
      ],
    });
    return account;
  }

  listPartnerAccounts(
    parent: Account,
    page: PageRequest,
    visible?: readonly Environment[],
  ): Promise<Paged<Account>> {
    assertAcquiringPartner(parent);
    const environment = visible?.length === 1 ? visible[0] : undefined;
    return this.#list(page, { parentAccountId: parent.accountId, environment });
  }

  listAll(page: PageRequest): Promise<Paged<Account>> {
    return this.#list(page, {});
  }

  /**
   * Accounts whose name or reference contains `text` (ASCII letters in either case) or whose id is
   * `text`, newest first: every account (operators), or with `familyOf` an Acquiring Partner and
   * the Partner Accounts it manages.
   */
  search(text: string, page: PageRequest, options: { familyOf?: Account } = {}): Promise<Paged<Account>> {
    if (options.familyOf) assertAcquiringPartner(options.familyOf);
    const familyOf = options.familyOf?.accountId;
    return fetchPage(
      page.pageSize,
      page.pageToken,
      (p) => this.#runtime.store.searchAccounts({ text, ...(familyOf ? { familyOf } : {}), ...p }),
      (a) => ({ at: a.createdAt, id: a.accountId }),
    );
  }

  /**
   * The account a request acts on: the caller's own, or one of the Partner Accounts it manages.
   * Anything else is "not found", so that account ids are never confirmed to outsiders.
   */
  async resolveManaged(caller: Account, accountId: string): Promise<Account> {
    if (caller.kind !== "ACQUIRING_PARTNER") throw notFound("Account");
    const target = await this.#runtime.store.findAccount(accountId);
    if (!target || target.parentAccountId !== caller.accountId) throw notFound("Account");
    return target;
  }

  /**
   * Operator: every key of the account is refused (401, like any bad key) until it is resumed.
   * Credential statuses are left alone. Suspending a suspended account changes nothing (its first
   * suspension's time and reason stay) and writes no event: `changed` is false.
   */
  async suspend(
    account: Account,
    context: RequestContext,
    input: { reason: string | null },
  ): Promise<{ account: Account; changed: boolean }> {
    assertSuspensionReason(input.reason);
    const suspended = await this.#runtime.store.suspendAccount({
      accountId: account.accountId,
      at: this.#runtime.clock.now(),
      reason: input.reason,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "account.suspended",
        targetType: "ACCOUNT",
        targetId: account.accountId,
        statusBefore: "ACTIVE",
        statusAfter: "SUSPENDED",
        reason: input.reason,
      }),
    });
    return suspended ? { account: suspended, changed: true } : this.#unchanged(account.accountId);
  }

  /** Operator: ends a suspension; the keys that were ACTIVE work again. Idempotent like suspend. */
  async resume(
    account: Account,
    context: RequestContext,
    input: { reason: string | null },
  ): Promise<{ account: Account; changed: boolean }> {
    assertSuspensionReason(input.reason);
    const resumed = await this.#runtime.store.resumeAccount({
      accountId: account.accountId,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "account.resumed",
        targetType: "ACCOUNT",
        targetId: account.accountId,
        statusBefore: "SUSPENDED",
        statusAfter: "ACTIVE",
        reason: input.reason,
      }),
    });
    return resumed ? { account: resumed, changed: true } : this.#unchanged(account.accountId);
  }

  /** A guarded change found the account already as asked: its state now. */
  async #unchanged(accountId: string): Promise<{ account: Account; changed: boolean }> {
    const account = await this.#runtime.store.findAccount(accountId);
    if (!account) throw notFound("Account");
    return { account, changed: false };
  }

  async get(accountId: string): Promise<Account | null> {
    return this.#runtime.store.findAccount(accountId);
  }

  #list(
    page: PageRequest,
    filter: { parentAccountId?: string; environment?: Environment },
  ): Promise<Paged<Account>> {
    return fetchPage(
      page.pageSize,
      page.pageToken,
      (p) => this.#runtime.store.listAccounts({ ...filter, ...p }),
      (a) => ({ at: a.createdAt, id: a.accountId }),
    );
  }
}

function assertAcquiringPartner(account: Account): void {
  if (account.kind !== "ACQUIRING_PARTNER") {
    throw new AppError("FORBIDDEN", "Only an Acquiring Partner can manage Partner Accounts");
  }
}
