import { type Command, Option } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

export function adminAccountsCreateCommand(accounts: Command): void {
  withConnectionOptions(
    accounts
      .command("create")
      .description("create an Acquiring Partner account and print its one-time onboarding link")
      .requiredOption("--name <name>", "the partner's display name")
      .addOption(
        new Option("--environment <env>", "account environment").choices(["live", "test"]).default("live"),
      )
      .option("--json", "print {account_id, onboarding_url, expires_at} as JSON"),
  ).action(async (options: ConnectionOptions & { name: string; environment: string; json?: boolean }) => {
    const created = await adminClient(options).createAccount({
      name: options.name,
      environment: options.environment === "test" ? "TEST" : "LIVE",
    });
    if (options.json) {
      printJson({
        account_id: created.account_id,
        onboarding_url: created.onboarding_url,
        expires_at: created.expires_at,
      });
      return;
    }
    process.stdout.write(
      `Account created: ${created.account_id} (${created.name}, ${created.environment})\n` +
        `One-time onboarding link, valid until ${created.expires_at}:\n${created.onboarding_url}\n` +
        "Send it to the partner over a secure channel; it reveals their initial API key once.\n",
    );
  });
}
