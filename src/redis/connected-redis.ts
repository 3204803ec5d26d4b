import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { SharedRedis } from "./shared-redis.ts";

/**
 * Redis as configured (`REDIS_URL`), or none. ioredis is loaded only when Redis is configured: it
 * adds about 28 MB to the resident memory of a single instance that never connects.
 */
export async function connectedRedis(config: Config, logger: Logger): Promise<SharedRedis | undefined> {
  if (!config.redisUrl) return undefined;
  const { connectConfiguredRedis } = await import("./shared-redis.ts");
  return connectConfiguredRedis(config, logger);
}
