import type { Command } from "commander";
import type { Account } from "../../client/types.ts";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  printTable,
  withConnectionOptions,
} from "../admin-connection.ts";

export function adminAccountsListCommand(accounts: Command): void {
  withConnectionOptions(
    accounts.command("list").description("list all accounts, newest first").option("--json", "print JSON"),
  ).action(async (options: ConnectionOptions & { json?: boolean }) => {
    const client = adminClient(options);
    const all: Account[] = [];
    let pageToken: string | undefined;
    do {
      const page = await client.listAccounts({ page_size: 100, page_token: pageToken });
      all.push(...page.accounts);
      pageToken = page.next_page_token;
    } while (pageToken);
    if (options.json) {
      printJson({ accounts: all });
      return;
    }
    const mtls = (a: Account): string =>
      a.mtls_enforced_from ? `from ${a.mtls_enforced_from}` : a.mtls_enforcement_missing ? "MISSING" : "-";
    const rows = all.map((a) => [a.account_id, a.type, a.environment, mtls(a), a.created_at, a.name]);
    const header = ["ACCOUNT_ID", "TYPE", "ENVIRONMENT", "MTLS_ENFORCED", "CREATED_AT", "NAME"];
    printTable(header, rows);
  });
}
