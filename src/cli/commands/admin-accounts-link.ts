import type { Command } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

export function adminAccountsLinkCommand(accounts: Command): void {
  withConnectionOptions(
    accounts
      .command("link")
      .description(
        "re-issue the one-time onboarding link of an account (earlier unclaimed links stop working)",
      )
      .argument("<account_id>", "krn:partner:global:account:…")
      .option("--json", "print {account_id, onboarding_url, expires_at} as JSON"),
  ).action(async (accountId: string, options: ConnectionOptions & { json?: boolean }) => {
    const link = await adminClient(options).issueOnboardingLink(accountId);
    if (options.json) {
      printJson(link);
      return;
    }
    process.stdout.write(
      `New one-time onboarding link for ${link.account_id}, valid until ${link.expires_at}:\n${link.onboarding_url}\n`,
    );
  });
}
