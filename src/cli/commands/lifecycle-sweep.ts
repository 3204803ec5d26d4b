import type { Command } from "commander";
import { loadConfigFromEnvironment } from "../../config.ts";
import { printJson } from "../admin-connection.ts";

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Parses `--as-of`: an ISO 8601 date or instant with its offset. */
export function parseAsOf(text: string): Date {
  const ms = Date.parse(text);
  if (!INSTANT.test(text) || Number.isNaN(ms)) {
    throw new Error(
      `--as-of must be an ISO 8601 date or time with offset, such as 2027-01-31T00:00:00Z (got "${text}")`,
    );
  }
  return new Date(ms);
}

export function lifecycleCommands(program: Command): void {
  const lifecycle = program.command("lifecycle").description("credential lifecycle rules");
  lifecycle
    .command("sweep")
    .description("apply the inactivity and rotation rules once, to the store of DATA_DIR / DATABASE_URL")
    .option("--as-of <instant>", "evaluate the rules as of this ISO 8601 instant instead of now")
    .option("--dry-run", "print what would change, change nothing")
    .option("--json", "print the transitions as JSON")
    .option("--data-dir <dir>", "data directory (env DATA_DIR, default ./data)")
    .action(async (options: { asOf?: string; dryRun?: boolean; json?: boolean; dataDir?: string }) => {
      const asOf = options.asOf === undefined ? undefined : parseAsOf(options.asOf);
      const config = loadConfigFromEnvironment({ dataDir: options.dataDir });
      const { openStore } = await import("../../store/open-store.ts");
      const { buildServices } = await import("../../compose.ts");
      const { createLogger } = await import("../../logger.ts");
      const { systemClock, systemRandom } = await import("../../system.ts");
      const logger = createLogger({ level: "silent" });
      // With Redis, every change is also announced so that running instances drop cached entries.
      const shared = await (await import("../../redis/connected-redis.ts")).connectedRedis(config, logger);
      await shared?.ready(2_000);
      // The core services only: a sweep needs neither the pepper nor the CA, nor starts any job.
      const services = await buildServices(config, {
        store: await openStore(config.database),
        shared,
        logger,
        clock: systemClock,
        random: systemRandom,
      });
      try {
        const report = await services.lifecycle.sweep({ asOf, dryRun: options.dryRun ?? false });
        if (options.json) {
          printJson({
            as_of: report.asOf.toISOString(),
            dry_run: report.dryRun,
            transitions: report.transitions.map((t) => ({
              rule: t.rule,
              credential_id: t.credentialId,
              account_id: t.accountId,
              type: t.type,
              environment: t.environment,
              description: t.description,
              from: t.from,
              to: t.to,
            })),
          });
          return;
        }
        for (const t of report.transitions) {
          process.stdout.write(
            `${t.rule.padEnd(22)} ${t.from.padEnd(8)} -> ${t.to.padEnd(8)} ${t.credentialId}  ${t.type} ${t.environment}  ${t.accountId}  ${JSON.stringify(t.description)}\n`,
          );
        }
        const verb = report.dryRun ? "would make" : "made";
        process.stdout.write(
          `${report.transitions.length} transitions ${verb} as of ${report.asOf.toISOString()}\n`,
        );
      } finally {
        await services.close();
      }
    });
}
