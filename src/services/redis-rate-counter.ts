import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RateDecision, RateLimit } from "../domain/rate-limit.ts";
import type { RateCounter } from "./rate-limiter.ts";

function decision(limit: RateLimit, result: RateLimiterRes, allowed: boolean): RateDecision {
  return {
    allowed,
    limit: limit.points,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
  };
}

/**
 * Limits shared by every instance through Redis (one atomic script per consume). While Redis is
 * unreachable, each instance falls back to counting in memory with the budget divided by the
 * configured instance count, so the fleet as a whole stays within the limit; shared counting
 * resumes by itself when Redis returns.
 */
export class RedisRateCounter implements RateCounter {
  readonly #redis: Redis;
  readonly #instances: number;
  readonly #limiters = new Map<string, RateLimiterRedis>();

  readonly #prefix: string;

  constructor(redis: Redis, options: { instanceCount: number; keyPrefix: string }) {
    this.#redis = redis;
    this.#instances = Math.max(1, options.instanceCount);
    this.#prefix = options.keyPrefix;
  }

  #limiter(limit: RateLimit): RateLimiterRedis {
    const id = `${limit.points}/${limit.windowSeconds}`;
    let limiter = this.#limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.#redis,
        points: limit.points,
        duration: limit.windowSeconds,
        keyPrefix: `${this.#prefix}:rl:${id}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({
          points: Math.max(1, Math.floor(limit.points / this.#instances)),
          duration: limit.windowSeconds,
          keyPrefix: `rl-local:${id}`,
        }),
      });
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
