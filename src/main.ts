import type { Logger } from "pino";
import { compose } from "./compose.ts";
import type { Config } from "./config.ts";
import type { App } from "./http/types.ts";
import { createLogger } from "./logger.ts";
import { resolveSecret } from "./secret-files.ts";
import { openStore } from "./store/open-store.ts";
import { systemClock, systemRandom } from "./system.ts";

export interface RunningServer {
  app: App;
  url: string;
  close(): Promise<void>;
}

/** Composition root: config → logger → secrets → store → services → app → listen. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger({ level: config.logLevel }),
): Promise<RunningServer> {
  const adminToken = resolveSecret(config.dataDir, "admin-token", config.adminToken);
  const pepper = resolveSecret(config.dataDir, "pepper", config.pepper);
  for (const created of [adminToken.createdFile, pepper.createdFile]) {
    if (created)
      logger.warn({ file: created }, "generated a new secret file (mode 0600); keep it and back it up");
  }
  if (config.adminToken === null)
    logger.info({ file: `${config.dataDir}/admin-token` }, "operator token file");
  const store = await openStore(config.database);
  const { app } = await compose({
    config,
    store,
    logger,
    clock: systemClock,
    random: systemRandom,
    adminToken: adminToken.value,
    pepper: pepper.value,
  });
  const url = await app.listen({ host: config.host, port: config.port });
  return { app, url, close: () => app.close() };
}

const SHUTDOWN_TIMEOUT_MS = 15_000;

/** Stops accepting, lets in-flight requests finish, flushes last-use records and closes the store. */
export function closeOnSignals(server: RunningServer, logger: Logger): void {
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
