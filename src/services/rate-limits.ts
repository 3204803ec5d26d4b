import { AppError, notFound } from "../domain/errors.ts";
import { parseRateLimit, type RateDecision, type RateLimit } from "../domain/rate-limit.ts";
import { assertRateLimitChanges, type RateLimitChanges } from "../domain/rate-limit-overrides.ts";
import type { Account } from "../domain/types.ts";
import { auditEvent } from "./audit.ts";
import type { RateCounter } from "./rate-limiter.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

/**
 * Per-account budgets by category (DESIGN §6): never per credential, so more credentials buy no
 * more throughput. A request counts against every account it involves at once: the Partner
 * Account and its Acquiring Partner.
 */
export class RateLimitService {
  readonly #runtime: ServiceRuntime;
  readonly #counter: RateCounter;
  readonly #defaults: ReadonlyMap<string, RateLimit>;
  readonly #sizes = new Map<string, { size: number; at: number }>();

  /** `defaults`: the limit of each category (configured), which operators may override per account. */
  constructor(
    runtime: ServiceRuntime,
    options: { counter: RateCounter; defaults: ReadonlyMap<string, RateLimit> },
  ) {
    this.#runtime = runtime;
    this.#counter = options.counter;
    this.#defaults = options.defaults;
  }

  get categories(): string[] {
    return [...this.#defaults.keys()];
  }

  /** Whether the category has a default limit (upper case, as configured). */
  hasCategory(category: string): boolean {
    return this.#defaults.has(category);
  }

  /**
   * Operator: changes the account's overrides by category (null returns a category to its
   * default). Categories not named keep theirs: the store makes the changes to the overrides it
   * holds under the account's lock, so operators changing different categories at once both keep
   * their change.
   */
  async changeOverrides(
    account: Account,
    context: RequestContext,
    changes: RateLimitChanges,
  ): Promise<Account> {
    assertRateLimitChanges(changes, this.categories);
    const changed = await this.#runtime.store.changeRateLimits({
      accountId: account.accountId,
      changes,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "rate_limits.updated",
        targetType: "ACCOUNT",
        targetId: account.accountId,
      }),
    });
    switch (changed.outcome) {
      case "CHANGED":
        return changed.account;
      case "TOO_MANY":
        throw new AppError("VALIDATION_ERROR", "Too many overrides");
      case "NOT_FOUND":
        throw notFound("Account");
    }
  }

  limitFor(account: Account, category: string): RateLimit | null {
    const override = account.security.rateLimits[category];
    return (override ? parseRateLimit(override) : null) ?? this.#defaults.get(category) ?? null;
  }

  /**
   * Counts one request of `caller` (its own account) acting on `target` (a Partner Account it
   * manages, or null for its own): the levels are the account acted on, the caller, and the
   * caller's Acquiring Partner. Budgets are per account, never per credential or per user.
   */
  async consumeFor(caller: Account, target: Account | null, category: string): Promise<RateDecision | null> {
    const parent = caller.parentAccountId
      ? await this.#runtime.store.findAccount(caller.parentAccountId)
      : null;
    const involved: Account[] = target && target.accountId !== caller.accountId ? [target, caller] : [caller];
    if (parent) involved.push(parent);
    return this.consume(involved, category);
  }

  /**
   * Counts one request against its member's budget (the account acted on; an Acquiring Partner's
   * own traffic has a member budget of its own) and, for members of an Acquiring Partner's family,
   * against the Acquiring Partner's aggregate. A member over its own budget is refused there and
   * drains nothing else. When the aggregate is spent, a member that has used no more than its fair
   * share of it (the aggregate ÷ the family's size) still passes: one noisy Partner Account cannot
   * starve its siblings or its parent. The member's own level is reported unless the aggregate
   * refuses: an account is never shown its family's activity.
   */
  async consume(levels: readonly Account[], category: string): Promise<RateDecision | null> {
    const [member, ...rest] = levels;
    if (!member) return null;
    const family = rest[rest.length - 1] ?? (member.kind === "ACQUIRING_PARTNER" ? member : null);
    const memberLimit = this.limitFor(member, category);
    const memberKey =
      family === member ? `${category}:${member.accountId}:own` : `${category}:${member.accountId}`;
    const own = memberLimit ? await this.#counter.consume(memberKey, memberLimit) : null;
    if (own && !own.allowed) return own;
    const familyLimit = family ? this.limitFor(family, category) : null;
    if (!family || !familyLimit) return own;
    const aggregate = await this.#counter.consume(`${category}:${family.accountId}`, familyLimit);
    const policies = memberLimit ? [memberLimit, familyLimit] : [familyLimit];
    if (aggregate.allowed || !own || !memberLimit) return { ...(own ?? aggregate), policies };
    const used = memberLimit.points - own.remaining;
    const share = familyLimit.points / (1 + (await this.#familySize(family.accountId)));
    return { ...(used <= share ? own : aggregate), policies };
  }

  /** Partner Accounts of an Acquiring Partner, remembered for a minute (asked only when a family is busy). */
  async #familySize(accountId: string): Promise<number> {
    const now = this.#runtime.clock.now().getTime();
    const cached = this.#sizes.get(accountId);
    if (cached && now - cached.at < 60_000) return cached.size;
    const size = await this.#runtime.store.countPartnerAccounts(accountId);
    if (this.#sizes.size > 10_000) this.#sizes.clear();
    this.#sizes.set(accountId, { size, at: now });
    return size;
  }
}
