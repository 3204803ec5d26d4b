import type { Command } from "commander";
import { printJson } from "../admin-connection.ts";
import { type PartnerConnectionOptions, partnerClient, withPartnerOptions } from "../partner-connection.ts";

type Options = PartnerConnectionOptions & { json?: boolean };
type Mode = "NOT_ENABLED" | "REPORTING" | "ENFORCED";

/** `partnerctl ip-restriction show|set`: the account's IP allow-list. */
export function partnerIpRestrictionCommands(program: Command): void {
  const ip = program.command("ip-restriction").description("your account's IP allow-list");

  withPartnerOptions(ip.command("show").description("the mode and the list"))
    .option("--json", "print JSON")
    .action(async (options: Options) => {
      const restriction = await partnerClient(options).getIpRestriction();
      if (options.json) return printJson(restriction);
      process.stdout.write(
        `${restriction.enforcement_mode}: ${restriction.allowed_ips.join(", ") || "(empty)"}\n`,
      );
    });

  withPartnerOptions(
    ip.command("set").description("set the mode and the list (the list replaces the old one)"),
  )
    .requiredOption("--mode <mode>", "NOT_ENABLED, REPORTING or ENFORCED")
    .option("--ips <list>", "comma-separated addresses or CIDR ranges", "")
    .option("--force", "enforce even when your own address is not in the list")
    .option("--json", "print JSON")
    .action(async (options: Options & { mode: string; ips: string; force?: boolean }) => {
      const restriction = await partnerClient(options).setIpRestriction({
        enforcement_mode: options.mode.toUpperCase() as Mode,
        allowed_ips: options.ips
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean),
        ...(options.force ? { force: true } : {}),
      });
      if (options.json) return printJson(restriction);
      process.stdout.write(
        `${restriction.enforcement_mode}: ${restriction.allowed_ips.join(", ") || "(empty)"}\n`,
      );
    });
}
