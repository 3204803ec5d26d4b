/**
 * `partnerctl gateway` with authorization switched off (`startGateway(…, { authorize: false })`):
 * the same process, store, routes and proxying, minus the decision and the identity headers. Bench
 * only; settings from the environment (DATA_DIR, GATEWAY_ROUTES, GATEWAY_PORT, …).
 *   node --import tsx bench/gateway-noauth.ts
 */
import { loadConfigFromEnvironment } from "../src/config.ts";
import { startGateway } from "../src/gateway.ts";
import { createLogger } from "../src/logger.ts";
import { closeOnSignals } from "../src/main.ts";

const config = loadConfigFromEnvironment();
const logger = createLogger({ level: config.logLevel });
closeOnSignals(await startGateway(config, logger, { authorize: false }), logger);
