import type { Command } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

/** `partnerctl admin audit verify ACCOUNT_ID`: checks the account's hash-chained audit trail. */
export function adminAuditCommands(admin: Command): void {
  const audit = admin.command("audit").description("the audit trail");
  withConnectionOptions(
    audit
      .command("verify")
      .description("check that no event was changed, removed or reordered; exit 1 at the first break")
      .argument("<account_id>", "krn:partner:global:account:…")
      .option("--json", "print the result as JSON"),
  ).action(async (accountId: string, options: ConnectionOptions & { json?: boolean }) => {
    const check = await adminClient(options).verifyAuditChain(accountId);
    if (options.json) printJson(check);
    else if (check.intact) process.stdout.write(`${accountId}: intact, ${check.checked} events\n`);
    else {
      const at = check.first_break;
      process.stdout.write(
        `${accountId}: BROKEN at event ${at?.seq} (${at?.event_id}): ${at?.problem}; ${check.checked} events before it are intact\n`,
      );
    }
    if (!check.intact) process.exitCode = 1;
  });
}
