import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { RedisBus } from "./redis-bus.ts";
import { redisRateCounter } from "./redis-rate-counter.ts";

/** Redis for several instances: shared rate limits and the invalidation bus, each on its own connection. */
export function connectSharedRedis(
  url: string,
  options: { instanceCount: number; keyPrefix: string; logger: Logger },
) {
  const connect = (name: string): Redis =>
    new Redis(url, {
      connectionName: `partner-credentials-${name}`,
      maxRetriesPerRequest: 1,
      // A Redis that accepts connections but never answers must not hang requests.
      ...(name === "subscriber" ? {} : { commandTimeout: 500 }),
      enableOfflineQueue: false,
      // The rate-limit counts of every request in one turn of the event loop go out in one write
      // (and come back in one read): a Redis round trip per request would cost a syscall each way.
      enableAutoPipelining: name === "limits",
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
  const limits = connect("limits");
  const publisher = connect("publisher");
  const subscriber = connect("subscriber");
  let wasUp: boolean | null = null;
  const report = (up: boolean): void => {
    if (up === wasUp) return;
    wasUp = up;
    if (up) options.logger.info("Redis reachable: shared rate limits and invalidation bus");
    else {
      options.logger.warn(
        { instance_share: `1/${options.instanceCount}` },
        "Redis unreachable: rate limits counted per instance, caches on their fallback lifetime",
      );
    }
  };
  limits.on("ready", () => report(true));
  for (const event of ["end", "close"]) limits.on(event, () => report(false));
  for (const client of [limits, publisher, subscriber]) client.on("error", () => report(false));
  return {
    bus: new RedisBus(publisher, subscriber, { channel: `${options.keyPrefix}:invalidate` }),
    counter: redisRateCounter(limits, {
      instanceCount: options.instanceCount,
      keyPrefix: options.keyPrefix,
    }),
    redisUp: () => limits.status === "ready",
    /** Resolves once the publisher is connected, or after `timeoutMs` (then announcements may be lost). */
    ready: (timeoutMs: number): Promise<void> =>
      publisher.status === "ready"
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            publisher.once("ready", () => {
              clearTimeout(timer);
              resolve();
            });
          }),
    close: async () => {
      limits.disconnect();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

export type SharedRedis = ReturnType<typeof connectSharedRedis>;

/** The Redis of the configuration (`REDIS_URL`, `INSTANCE_COUNT`, `REDIS_KEY_PREFIX`), if any. */
export function connectConfiguredRedis(config: Config, logger: Logger): SharedRedis | undefined {
  return config.redisUrl
    ? connectSharedRedis(config.redisUrl, {
        instanceCount: config.instanceCount,
        keyPrefix: config.redisKeyPrefix,
        logger,
      })
    : undefined;
}
