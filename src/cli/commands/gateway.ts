import type { Command } from "commander";
import { loadConfigFromEnvironment } from "../../config.ts";

export function gatewayCommand(program: Command): void {
  program
    .command("gateway")
    .description("run the authorizing reverse proxy in front of the provider's APIs")
    .option("--routes <file>", "routes file (env GATEWAY_ROUTES)")
    .option("--port <port>", "listen port (env GATEWAY_PORT, default 8090)")
    .option("--data-dir <dir>", "the server's data directory (env DATA_DIR, default ./data)")
    .action(async (options: { routes?: string; port?: string; dataDir?: string }) => {
      if (options.port !== undefined && !/^\d{1,5}$/.test(options.port)) {
        throw new Error(`--port must be a port number from 0 to 65535 (got "${options.port}")`);
      }
      const config = loadConfigFromEnvironment({
        dataDir: options.dataDir,
        gatewayRoutesFile: options.routes,
        gatewayPort: options.port === undefined ? undefined : Number(options.port),
      });
      const { createLogger } = await import("../../logger.ts");
      const { startGateway } = await import("../../gateway.ts");
      const { closeOnSignals } = await import("../../main.ts");
      const logger = createLogger({ level: config.logLevel });
      const gateway = await startGateway(config, logger);
      closeOnSignals(gateway, logger);
    });
}
