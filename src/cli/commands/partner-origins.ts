import type { Command } from "commander";
import { printJson, printTable } from "../admin-connection.ts";
import { type PartnerConnectionOptions, partnerClient, withPartnerOptions } from "../partner-connection.ts";

type Options = PartnerConnectionOptions & { json?: boolean };

/** `partnerctl origins list|add|remove`: the web origins your Client IDs work from. */
export function partnerOriginsCommands(program: Command): void {
  const origins = program.command("origins").description("allowed web origins for your Client IDs");

  withPartnerOptions(origins.command("list").description("alphabetically"))
    .option("--json", "print JSON")
    .action(async (options: Options) => {
      const all = await partnerClient(options).listAllowedOrigins();
      if (options.json) return printJson({ allowed_origins: all });
      printTable(
        ["ORIGIN_ID", "ORIGIN", "SCHEME"],
        all.map((o) => [o.origin_id, o.origin, o.scheme]),
      );
    });

  withPartnerOptions(
    origins.command("add").description("host[:port], *.host, or * (TEST only)").argument("<origin>"),
  )
    .option("--json", "print JSON")
    .action(async (origin: string, options: Options) => {
      const added = await partnerClient(options).addAllowedOrigin(origin);
      if (options.json) return printJson(added);
      process.stdout.write(`${added.origin_id}  ${added.scheme}://${added.origin}\n`);
    });

  withPartnerOptions(
    origins.command("remove").description("remove an origin").argument("<origin_id>"),
  ).action(async (originId: string, options: Options) => {
    await partnerClient(options).removeAllowedOrigin(originId);
    process.stdout.write(`Removed ${originId}\n`);
  });
}
