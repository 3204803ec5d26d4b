import type { Logger } from "pino";
import { loadOrCreateCa } from "./ca-files.ts";
import { buildServices } from "./compose.ts";
import type { Config } from "./config.ts";
import type { Clock, Random } from "./domain/runtime.ts";
import { pepperRing } from "./domain/secret-hash.ts";
import { loadOrCreateIdentityKey } from "./identity-key-files.ts";
import { startJobs } from "./jobs.ts";
import type { Metrics } from "./metrics.ts";
import { connectedRedis } from "./redis/connected-redis.ts";
import { readSecretFile } from "./secret-files.ts";
import { IdentitySigner } from "./services/identity-signer.ts";
import type { RequestAuthorizer } from "./services/request-authorizer.ts";
import { openStore } from "./store/open-store.ts";
import type { Store } from "./store/port.ts";

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
 * created: a process that only verifies must never invent a pepper or a CA of its own. Neither the
 * session secret nor the operator token is read: what only verifies cannot sign a browser session.
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
  const identity = await IdentitySigner.fromPem(identityKey.privateKeyPem, clock);
  const shared = await connectedRedis(config, logger);
  let store: Store;
  try {
    await shared?.ready(2_000);
    store = await openStore(config.database);
  } catch (error) {
    await shared?.close();
    throw error;
  }
  const services = await buildServices(config, {
    store,
    shared,
    logger,
    clock,
    random,
    keys: {
      peppers: pepperRing({ version: config.pepperVersion, secret: pepper }, config.previousPeppers),
      ca,
      identity,
    },
  });
  // Its last-use records, like those of `serve`; the lifecycle jobs are the server's.
  const jobs = startJobs(services, { only: ["usage-flush"] });
  return {
    authorizer: services.authorizer,
    identity: services.identity,
    metrics: services.metrics,
    close: async () => {
      try {
        await jobs.stop();
      } finally {
        await services.close();
      }
    },
  };
}
