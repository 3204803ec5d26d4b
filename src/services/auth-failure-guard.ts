import type { RateDecision, RateLimit } from "../domain/rate-limit.ts";
import { FailureThrottle } from "./failure-throttle.ts";
import type { RateCounter } from "./rate-limiter.ts";

/**
 * Guessing defence: failed authentications are counted per source IP and per attempted lookup
 * id. Past the threshold an IP gets 429 for every failing attempt; a lookup id gets 429 for failing
 * attempts only. Valid keys are never refused by it, so a guesser cannot lock a key's holder out.
 */
export class AuthFailureGuard {
  readonly #byIp: FailureThrottle;
  readonly #byLookupId: FailureThrottle;

  constructor(counter: RateCounter, limits: { perIp: RateLimit; perLookupId: RateLimit }) {
    this.#byIp = new FailureThrottle(counter, limits.perIp, "auth-fail-ip");
    this.#byLookupId = new FailureThrottle(counter, limits.perLookupId, "auth-fail-key");
  }

  /** A refusal when this address has failed too often. */
  ipBlocked(ip: string): Promise<RateDecision | null> {
    return this.#byIp.blocked(ip);
  }

  /** Records a failure; returns a refusal when this failure crossed a threshold. */
  async recordFailure(ip: string, lookupId: string | null): Promise<RateDecision | null> {
    const byIp = await this.#byIp.record(ip);
    if (byIp) return byIp;
    return lookupId === null ? null : this.#byLookupId.record(lookupId);
  }
}
