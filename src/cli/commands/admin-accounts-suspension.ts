import type { Command } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

/**
 * `partnerctl admin accounts suspend|resume ACCOUNT_ID [--reason TEXT]`: every key of a suspended
 * account gets 401; resuming gives the keys that were ACTIVE back. Both are idempotent.
 */
export function adminAccountsSuspensionCommands(accounts: Command): void {
  for (const action of ["suspend", "resume"] as const) {
    withConnectionOptions(
      accounts
        .command(action)
        .description(
          action === "suspend"
            ? "refuse every key of the account (401) until it is resumed; credential statuses stay"
            : "end a suspension: the keys that were ACTIVE work again",
        )
        .argument("<account_id>", "krn:partner:global:account:…")
        .option("--reason <text>", "why, for the audit trail")
        .option("--json", "print JSON"),
    ).action(async (accountId: string, options: ConnectionOptions & { reason?: string; json?: boolean }) => {
      const client = adminClient(options);
      const input = options.reason === undefined ? {} : { reason: options.reason };
      const result =
        action === "suspend"
          ? await client.suspendAccount(accountId, input)
          : await client.resumeAccount(accountId, input);
      if (options.json) {
        printJson(result);
        return;
      }
      const state =
        result.status === "SUSPENDED"
          ? `SUSPENDED since ${result.suspended_at}${result.suspended_reason ? ` (${result.suspended_reason})` : ""}`
          : "ACTIVE";
      process.stdout.write(
        `${result.account_id} is ${result.changed ? "now" : "already"} ${state}${result.changed ? "" : "; nothing changed"}\n`,
      );
    });
  }
}
