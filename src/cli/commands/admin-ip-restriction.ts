import type { Command } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

/** `partnerctl admin ip-restriction reset ACCOUNT_ID`: support's way out of an IP lock-out. */
export function adminIpRestrictionCommands(admin: Command): void {
  const ip = admin.command("ip-restriction").description("support actions on an account's IP allow-list");
  withConnectionOptions(
    ip
      .command("reset")
      .description("set the IP allow-list back to NOT_ENABLED with no addresses")
      .argument("<account_id>", "krn:partner:global:account:…")
      .option("--json", "print the IP restriction as JSON"),
  ).action(async (accountId: string, options: ConnectionOptions & { json?: boolean }) => {
    const restriction = await adminClient(options).resetIpRestriction(accountId);
    if (options.json) {
      printJson(restriction);
      return;
    }
    process.stdout.write(`${accountId}: IP allow-list ${restriction.enforcement_mode}\n`);
  });
}
