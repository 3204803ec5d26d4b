import type { Logger } from "pino";
import { loadOrCreateCa } from "./ca-files.ts";
import { cachedStore, composeAuthorization, pepperRing } from "./compose.ts";
import type { Config } from "./config.ts";
import type { Clock, Random } from "./domain/runtime.ts";
import { loadOrCreateIdentityKey } from "./identity-key-files.ts";
import { Metrics } from "./metrics.ts";
import { connectConfiguredRedis } from "./redis/shared-redis.ts";
import { readSecretFile } from "./secret-files.ts";
import { IdentitySigner } from "./services/identity-signer.ts";
import { OnboardingService } from "./services/onboarding.ts";
import { memoryRateCounter } from "./services/rate-limiter.ts";
import type { RequestAuthorizer } from "./services/request-authorizer.ts";
import { UsageRecorder } from "./services/usage-recorder.ts";
import { LocalBus } from "./store/invalidation-bus.ts";
import { openStore } from "./store/open-store.ts";

/** The authorization of `serve`, opened in another process: the gateway, or a verifier in an API. */
export interface AuthorizationEdge {
  authorizer: RequestAuthorizer;
  identity: IdentitySigner;
  metrics: Metrics;
  /** Flushes last-use records, closes Redis and the store. */
  close(): Promise<void>;
}

/**
 * Opens the same store (`DATABASE_URL`), Redis (`REDIS_URL`: shared limits and the invalidation
 * bus), pepper, CA and identity key as `serve`, with the same verification cache. Nothing is
 * created: a process that only verifies must never invent a pepper or a CA of its own.
 */
export async function openAuthorizationEdge(
  config: Config,
  runtime: { logger: Logger; clock: Clock; random: Random },
): Promise<AuthorizationEdge> {
  const { clock, random, logger } = runtime;
  const pepper = config.pepper ?? readSecretFile(config.dataDir, "pepper");
  if (!pepper) {
    throw new Error(
      `No pepper: set PEPPER, or DATA_DIR to the server's (${config.dataDir}/pepper is missing)`,
    );
  }
  const { ca } = await loadOrCreateCa(config, clock, random, { create: false });
  const identityKey = loadOrCreateIdentityKey(config, { create: false });
  const shared = connectConfiguredRedis(config, logger);
  await shared?.ready(2_000);
  const bus = shared?.bus ?? new LocalBus();
  const metrics = new Metrics({ busState: () => bus.state(), redisUp: () => shared?.redisUp() ?? null });
  const inner = await openStore(config.database);
  const { store, verified } = cachedStore(inner, { config, bus, clock, metrics });
  const services = { store, clock, random };
  const usage = new UsageRecorder(store);
  usage.start(config.usageFlushIntervalMs, (error) => logger.error({ err: error }, "last-use flush failed"));
  const onboarding = new OnboardingService(services, {
    brand: config.brand,
    peppers: pepperRing(config, pepper),
    publicUrl: config.publicUrl,
    linkTtlMs: config.onboardingLinkTtlMs,
  });
  const { authorizer } = composeAuthorization({
    runtime: services,
    config,
    peppers: pepperRing(config, pepper),
    usage,
    counter: shared?.counter ?? memoryRateCounter(),
    ca,
    metrics,
    onboarding,
    onBackgroundError: (error) => logger.error({ err: error }, "background write failed"),
    verified,
  });
  return {
    authorizer,
    identity: await IdentitySigner.fromPem(identityKey.privateKeyPem, clock),
    metrics,
    close: async () => {
      try {
        await usage.stop();
      } finally {
        await shared?.close();
        await store.close();
      }
    },
  };
}
