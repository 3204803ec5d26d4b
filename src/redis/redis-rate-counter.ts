import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { FlexibleRateCounter, type RateCounter } from "../services/rate-limiter.ts";

/**
 * Limits shared by every instance through Redis (one atomic script per consume). While Redis is
 * unreachable, each instance falls back to counting in memory with the budget divided by the
 * configured instance count, so the fleet as a whole stays within the limit; shared counting
 * resumes by itself when Redis returns.
 */
export function redisRateCounter(
  redis: Redis,
  options: { instanceCount: number; keyPrefix: string },
): RateCounter {
  const instances = Math.max(1, options.instanceCount);
  return new FlexibleRateCounter(
    (limit, id) =>
      new RateLimiterRedis({
        storeClient: redis,
        points: limit.points,
        duration: limit.windowSeconds,
        keyPrefix: `${options.keyPrefix}:rl:${id}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({
          points: Math.max(1, Math.floor(limit.points / instances)),
          duration: limit.windowSeconds,
          keyPrefix: `rl-local:${id}`,
        }),
      }),
  );
}
