import { createServer } from "node:https";
import type { Logger } from "pino";
import { type Apps, buildApps } from "./apps.ts";
import { backgroundWriter } from "./background-writer.ts";
import { loadOrCreateCa, serverCertificate } from "./ca-files.ts";
import { buildServices, writeBatch } from "./compose.ts";
import type { Config } from "./config.ts";
import type { Clock, Random } from "./domain/runtime.ts";
import { deriveKey, pepperRing } from "./domain/secret-hash.ts";
import { idleTimeoutMs, requestListenerOf, serverTimeouts } from "./http/fastify.ts";
import type { App } from "./http/types.ts";
import { loadOrCreateIdentityKey } from "./identity-key-files.ts";
import { startJobs } from "./jobs.ts";
import { createLogger } from "./logger.ts";
import { loadOperatorTokens } from "./operator-tokens-file.ts";
import { connectedRedis } from "./redis/connected-redis.ts";
import { readSecretFile, resolveSecret, SESSION_SECRET_FILE } from "./secret-files.ts";
import type { CertificateAuthority, PemPair } from "./services/certificate-authority.ts";
import { IdentitySigner } from "./services/identity-signer.ts";
import type { Ticker } from "./services/periodic-jobs.ts";
import { openStore } from "./store/open-store.ts";
import { systemClock, systemRandom } from "./system.ts";

export interface RunningServer {
  app: App;
  url: string;
  /** The internal listener: `/admin/*`, `/internal/*`, `/metrics`. */
  internalUrl: string;
  tlsUrl: string | null;
  close(): Promise<void>;
}

/**
 * The HTTPS listener beside the HTTP one, served by the same app: TLS 1.2 or newer, asking for a
 * client certificate without requiring one, so the API can report the mTLS status itself.
 */
async function listenTls(
  app: App,
  config: Config,
  server: PemPair,
  ca: CertificateAuthority,
): Promise<{ url: string; close(): Promise<void> }> {
  const https = createServer(
    {
      cert: server.certPem,
      key: server.keyPem,
      ca: [ca.certificatePem],
      minVersion: "TLSv1.2",
      requestCert: true,
      rejectUnauthorized: false,
      maxHeaderSize: 64 * 1024,
      ...serverTimeouts(config.timeouts),
    },
    requestListenerOf(app),
  );
  // A connection on which nothing moves (one that never sends a byte, say) ends, as on plain HTTP.
  https.setTimeout(idleTimeoutMs(config.timeouts));
  const port = config.tls.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    https.once("error", reject);
    https.listen(port, config.host, () => resolve());
  });
  const address = https.address();
  const actual = typeof address === "object" && address ? address.port : port;
  return {
    url: `https://${config.host.includes(":") ? `[${config.host}]` : config.host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        https.close(() => resolve());
        https.closeIdleConnections();
      }),
  };
}

/**
 * The secrets of `serve`, each with one purpose: from the environment, or generated into DATA_DIR
 * on first start. A session secret generated here would be this instance's alone, so with several
 * instances it must be given (SESSION_SECRET) or already be there.
 */
function resolveServeSecrets(
  config: Config,
  logger: Logger,
): { adminToken: string; pepper: string; sessionSecret: string } {
  if (
    config.sessionSecret === null &&
    config.instanceCount > 1 &&
    readSecretFile(config.dataDir, SESSION_SECRET_FILE) === null
  ) {
    throw new Error(
      `INSTANCE_COUNT is ${config.instanceCount}: set SESSION_SECRET, the same on every instance (a ${SESSION_SECRET_FILE} generated in ${config.dataDir} would be this instance's alone, and the others would refuse its browser sessions)`,
    );
  }
  const adminToken = resolveSecret(config.dataDir, "admin-token", config.adminToken);
  const pepper = resolveSecret(config.dataDir, "pepper", config.pepper);
  const sessionSecret = resolveSecret(config.dataDir, SESSION_SECRET_FILE, config.sessionSecret);
  for (const created of [adminToken.createdFile, pepper.createdFile, sessionSecret.createdFile]) {
    if (created)
      logger.warn({ file: created }, "generated a new secret file (mode 0600); keep it and back it up");
  }
  if (config.adminToken === null)
    logger.info({ file: `${config.dataDir}/admin-token` }, "operator token file");
  return { adminToken: adminToken.value, pepper: pepper.value, sessionSecret: sessionSecret.value };
}

/** Composition root: config → logger → secrets → store → services → apps → listen → jobs. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel }),
  runtime: { clock: Clock; random: Random; ticker?: Ticker } = { clock: systemClock, random: systemRandom },
): Promise<RunningServer> {
  const { clock, random } = runtime;
  const secrets = resolveServeSecrets(config, logger);
  const { ca, createdFile } = await loadOrCreateCa(config, clock, random);
  if (createdFile)
    logger.warn({ file: createdFile }, "created the client-certificate CA (key mode 0600); back it up");
  const identityKey = loadOrCreateIdentityKey(config);
  if (identityKey.createdFile)
    logger.warn(
      { file: identityKey.createdFile },
      "created the identity signing key (mode 0600); back it up",
    );
  const identity = await IdentitySigner.fromPem(identityKey.privateKeyPem, clock);
  const operators = loadOperatorTokens(config.adminTokensFile);
  const store = await openStore(config.database);
  const { database } = config;
  // On SQLite, sweeps and last-use writes run on a thread of their own (background-writer.ts);
  // PostgreSQL runs them on pooled connections, off the event loop already.
  const background =
    database.kind === "sqlite" && database.file !== ":memory:"
      ? backgroundWriter(database, {
          policy: config.lifecycle,
          batchSize: writeBatch(config),
          clock,
          publish: (event) => services.bus.publish(event),
        })
      : undefined;
  const services = await buildServices(config, {
    store,
    ...(background ? { usageWriter: background } : {}),
    shared: await connectedRedis(config, logger),
    logger,
    clock,
    random,
    keys: {
      peppers: pepperRing({ version: config.pepperVersion, secret: secrets.pepper }, config.previousPeppers),
      ca,
      identity,
      webhookSecrets: deriveKey(secrets.sessionSecret, "webhook-secrets/v1"),
      consoleTotp: deriveKey(secrets.sessionSecret, "console-totp/v1"),
    },
  });
  let apps: Apps | null = null;
  let internalUrl: string;
  let url: string;
  let tls: Awaited<ReturnType<typeof listenTls>> | null;
  try {
    apps = await buildApps(services, {
      adminToken: secrets.adminToken,
      operators,
      sessionSecret: secrets.sessionSecret,
    });
    internalUrl = await apps.internal.listen({ host: config.internal.host, port: config.internal.port });
    logger.info({ url: internalUrl }, "internal listener (admin, internal, metrics)");
    url = await apps.app.listen({ host: config.host, port: config.port });
    tls =
      config.tls.port === null
        ? null
        : await listenTls(apps.app, config, await serverCertificate(config, ca, clock), ca);
  } catch (error) {
    // A port in use must end the process, not leave the other listeners and the store open.
    await Promise.all([apps?.app.close(), apps?.internal.close()]);
    await services.close();
    throw error;
  }
  if (tls) logger.info({ url: tls.url }, "HTTPS listening (client certificates requested, not required)");
  const { app, internal } = apps;
  const jobs = startJobs(services, {
    ticker: runtime.ticker,
    ...(background ? { sweeper: background } : {}),
  });
  return {
    app,
    url,
    internalUrl,
    tlsUrl: tls?.url ?? null,
    // The listeners stop accepting and finish in-flight requests; then the jobs end (a running sweep
    // after its current batch), the last-use records are written and the store is closed.
    close: async () => {
      try {
        await Promise.all([tls?.close(), app.close(), internal.close()]);
        await jobs.stop();
        if (background) {
          await services.usage.flush();
          await background.close();
        }
      } finally {
        await services.close();
      }
    },
  };
}

const SHUTDOWN_TIMEOUT_MS = 15_000;

/** Stops accepting, lets in-flight requests finish, flushes last-use records and closes the store. */
export function closeOnSignals(server: { close(): Promise<void> }, logger: Logger): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    // In-flight requests get a bounded time to finish; a hung one must not keep the process alive.
    setTimeout(() => {
      logger.error({ timeout_ms: SHUTDOWN_TIMEOUT_MS }, "shutdown timed out");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
