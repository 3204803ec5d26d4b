import type { RateDecision, RateLimit } from "../domain/rate-limit.ts";
import type { RateCounter } from "./rate-limiter.ts";

/**
 * Guessing defence: failed authentications are counted per source IP and per attempted lookup
 * id. Past the threshold an IP gets 429 for every attempt; a lookup id gets 429 for failing
 * attempts only, so a guesser cannot lock the real key's holder out.
 */
export class AuthFailureGuard {
  readonly #counter: RateCounter;
  readonly #perIp: RateLimit;
  readonly #perLookupId: RateLimit;

  constructor(counter: RateCounter, limits: { perIp: RateLimit; perLookupId: RateLimit }) {
    this.#counter = counter;
    this.#perIp = limits.perIp;
    this.#perLookupId = limits.perLookupId;
  }

  /** A refusal when this address has failed too often; checked before any authentication work. */
  async ipBlocked(ip: string): Promise<RateDecision | null> {
    const state = await this.#counter.peek(`auth-fail-ip:${ip}`, this.#perIp);
    return state && state.remaining === 0 ? { ...state, allowed: false } : null;
  }

  /** Records a failure; returns a refusal when this failure crossed a threshold. */
  async recordFailure(ip: string, lookupId: string | null): Promise<RateDecision | null> {
    const byIp = await this.#counter.consume(`auth-fail-ip:${ip}`, this.#perIp);
    if (!byIp.allowed) return byIp;
    if (lookupId === null) return null;
    const byKey = await this.#counter.consume(`auth-fail-key:${lookupId}`, this.#perLookupId);
    return byKey.allowed ? null : byKey;
  }
}
