import type { Command } from "commander";
import { loadConfigFromEnvironment } from "../../config.ts";

export function serveCommand(program: Command): void {
  program
    .command("serve")
    .description("run the HTTP server (Partner Management API, admin API, onboarding pages)")
    .option("--port <port>", "listen port (env PORT, default 8080)")
    .option("--host <host>", "listen address (env HOST, default 127.0.0.1)")
    .option("--data-dir <dir>", "data directory (env DATA_DIR, default ./data)")
    .action(async (options: { port?: string; host?: string; dataDir?: string }) => {
      if (options.port !== undefined && !/^\d{1,5}$/.test(options.port)) {
        throw new Error(`--port must be a port number from 0 to 65535 (got "${options.port}")`);
      }
      const config = loadConfigFromEnvironment({
        host: options.host,
        port: options.port === undefined ? undefined : Number(options.port),
        dataDir: options.dataDir,
      });
      const { createLogger } = await import("../../logger.ts");
      const { closeOnSignals, startServer } = await import("../../main.ts");
      const logger = createLogger({ level: config.logLevel });
      const server = await startServer(config, logger);
      closeOnSignals(server, logger);
    });
}
