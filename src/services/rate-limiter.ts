import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { RateDecision, RateLimit } from "../domain/rate-limit.ts";

/** The counting port: in-process memory by default; a shared store can stand behind it. */
export interface RateCounter {
  consume(key: string, limit: RateLimit): Promise<RateDecision>;
  /** Current state without consuming; null when nothing is counted for the key. */
  peek(key: string, limit: RateLimit): Promise<RateDecision | null>;
  /** Gives back one point `consume` took (a reservation that turned out not to be needed). */
  refund(key: string, limit: RateLimit): Promise<void>;
}

function decision(limit: RateLimit, result: RateLimiterRes, allowed: boolean): RateDecision {
  return {
    allowed,
    limit: limit.points,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
    policies: [limit],
  };
}

/**
 * A RateCounter over rate-limiter-flexible: one limiter per distinct limit (fixed windows, atomic
 * per key), made by the given factory, in memory or in a shared store.
 */
export class FlexibleRateCounter implements RateCounter {
  readonly #limiters = new Map<string, RateLimiterAbstract>();
  readonly #create: (limit: RateLimit, id: string) => RateLimiterAbstract;

  constructor(create: (limit: RateLimit, id: string) => RateLimiterAbstract) {
    this.#create = create;
  }

  #limiter(limit: RateLimit): RateLimiterAbstract {
    const id = `${limit.points}/${limit.windowSeconds}`;
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      limiter = this.#create(limit, id);
      this.#limiters.set(id, limiter);
    }
    return limiter;
  }

  async consume(key: string, limit: RateLimit): Promise<RateDecision> {
    try {
      return decision(limit, await this.#limiter(limit).consume(key), true);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return decision(limit, rejection, false);
      throw rejection;
    }
  }

  async peek(key: string, limit: RateLimit): Promise<RateDecision | null> {
    const state = await this.#limiter(limit).get(key);
    if (!state) return null;
    return decision(limit, state, state.consumedPoints <= limit.points);
  }

  async refund(key: string, limit: RateLimit): Promise<void> {
    await this.#limiter(limit).reward(key, 1);
  }
}

/** In-process counting: exact for one instance. */
export function memoryRateCounter(): RateCounter {
  return new FlexibleRateCounter(
    (limit, id) =>
      new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds, keyPrefix: id }),
  );
}
