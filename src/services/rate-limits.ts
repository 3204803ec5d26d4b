import { parseRateLimit, type RateDecision, type RateLimit, reportedLevel } from "../domain/rate-limit.ts";
import type { Account } from "../domain/types.ts";
import type { RateCounter } from "./rate-limiter.ts";

/**
 * Per-account budgets by category (DESIGN §6): never per credential, so more credentials buy no
 * more throughput. A request counts against every account it involves at once: the Partner
 * Account and its Acquiring Partner.
 */
export class RateLimitService {
  readonly #counter: RateCounter;
  readonly #defaults: ReadonlyMap<string, RateLimit>;

  constructor(counter: RateCounter, defaults: ReadonlyMap<string, RateLimit>) {
    this.#counter = counter;
    this.#defaults = defaults;
  }

  get categories(): string[] {
    return [...this.#defaults.keys()];
  }

  /** Whether the category has a default limit (upper case, as configured). */
  hasCategory(category: string): boolean {
    return this.#defaults.has(category);
  }

  limitFor(account: Account, category: string): RateLimit | null {
    const override = account.security.rateLimits[category];
    return (override ? parseRateLimit(override) : null) ?? this.#defaults.get(category) ?? null;
  }

  /**
   * Counts one request against each account's budget, most specific first; a refusal stops there,
   * so a Partner Account over its own limit does not also drain its Acquiring Partner's budget.
   * The refusal is reported, else the most specific level (the account acted on): an account is
   * never shown its parent's activity.
   */
  async consume(accounts: readonly Account[], category: string): Promise<RateDecision | null> {
    const decisions: RateDecision[] = [];
    for (const account of accounts) {
      const limit = this.limitFor(account, category);
      if (!limit) continue;
      const decision = await this.#counter.consume(`${category}:${account.accountId}`, limit);
      decisions.push(decision);
      if (!decision.allowed) break;
    }
    return reportedLevel(decisions);
  }
}
