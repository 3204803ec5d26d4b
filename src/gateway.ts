import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import { headerPrefix } from "./domain/brand.ts";
import { parseGatewayRoutes } from "./domain/gateway-routes.ts";
import { openAuthorizationEdge } from "./edge.ts";
import { buildGatewayApp } from "./http/gateway-app.ts";
import type { App } from "./http/types.ts";
import { systemClock, systemRandom } from "./system.ts";

export interface RunningGateway {
  app: App;
  url: string;
  close(): Promise<void>;
}

/** Reads and validates the routes file named by `--routes`/`GATEWAY_ROUTES`. */
export function loadGatewayRoutes(file: string | null, knowsCategory: (category: string) => boolean) {
  if (file === null) throw new Error("No routes: pass --routes routes.json or set GATEWAY_ROUTES");
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Cannot read the routes file ${file}: ${(error as Error).message}`);
  }
  return parseGatewayRoutes(document, knowsCategory);
}

/** `partnerctl gateway`: the authorizing reverse proxy, on the same store, Redis and keys as `serve`. */
export async function startGateway(
  config: Config,
  logger: Logger,
  options: { authorize: boolean } = { authorize: true },
): Promise<RunningGateway> {
  const edge = await openAuthorizationEdge(config, { logger, clock: systemClock, random: systemRandom });
  try {
    const routes = loadGatewayRoutes(config.gateway.routesFile, (c) => edge.authorizer.knowsCategory(c));
    const app = await buildGatewayApp({
      routes,
      authorizer: options.authorize ? edge.authorizer : null,
      identity: edge.identity,
      transport: { trustedProxies: config.trustedProxies, clientCertHeader: config.clientCertHeader },
      headerPrefix: headerPrefix(config.brand),
      logger,
      metrics: edge.metrics,
      timeouts: config.timeouts,
      docsUrl: config.docsUrl,
    });
    app.addHook("onClose", () => edge.close());
    const url = await app.listen({ host: config.gateway.host, port: config.gateway.port });
    logger.info({ url, routes: routes.map((r) => `${r.prefix} -> ${r.upstream}`) }, "gateway listening");
    return { app, url, close: () => app.close() };
  } catch (error) {
    await edge.close();
    throw error;
  }
}
