import type { Command } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function adminAccountsLimitsCommand(accounts: Command): void {
  withConnectionOptions(
    accounts
      .command("limits")
      .description("show an account's rate limits, or override them per category")
      .argument("<account_id>", "krn:partner:global:account:…")
      .option("--set <CATEGORY=LIMIT>", "override, e.g. PARTNER_MANAGEMENT=100/1s (repeatable)", collect, [])
      .option("--reset <CATEGORY>", "back to the default (repeatable)", collect, [])
      .option("--json", "print JSON"),
  ).action(
    async (
      accountId: string,
      options: ConnectionOptions & { set: string[]; reset: string[]; json?: boolean },
    ) => {
      const client = adminClient(options);
      const changes: Record<string, string | null> = {};
      for (const entry of options.set) {
        const [category, limit] = entry.split("=");
        if (!category || !limit) throw new Error(`--set takes CATEGORY=LIMIT (got "${entry}")`);
        changes[category] = limit;
      }
      for (const category of options.reset) changes[category] = null;
      const result =
        Object.keys(changes).length > 0
          ? await client.setRateLimits(accountId, changes)
          : await client.getRateLimits(accountId);
      if (options.json) {
        printJson(result);
        return;
      }
      for (const [category, { limit, source }] of Object.entries(result.limits)) {
        process.stdout.write(`${category.padEnd(24)} ${limit.padEnd(12)} ${source}\n`);
      }
    },
  );
}
