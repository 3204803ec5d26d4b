import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { RateDecision, RateLimit } from "../domain/rate-limit.ts";

/** The counting port: in-process memory by default; a shared store can stand behind it. */
export interface RateCounter {
  consume(key: string, limit: RateLimit): Promise<RateDecision>;
  /** Current state without consuming; null when nothing is counted for the key. */
  peek(key: string, limit: RateLimit): Promise<RateDecision | null>;
}

function decision(limit: RateLimit, result: RateLimiterRes, allowed: boolean): RateDecision {
  return {
    allowed,
    limit: limit.points,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
  };
}

/** rate-limiter-flexible in memory: one limiter per distinct limit, fixed windows, atomic per key. */
export class MemoryRateCounter implements RateCounter {
  readonly #limiters = new Map<string, RateLimiterMemory>();

  #limiter(limit: RateLimit): RateLimiterMemory {
    const id = `${limit.points}/${limit.windowSeconds}`;
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds, keyPrefix: id });
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
}
