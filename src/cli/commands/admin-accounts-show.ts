import type { Command } from "commander";
import type { AdminAccount } from "../../client/types.ts";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

/** `partnerctl admin accounts show ACCOUNT_ID`: what support needs to see of one account. */
export function adminAccountsShowCommand(accounts: Command): void {
  withConnectionOptions(
    accounts
      .command("show")
      .description("an account's settings: suspension, mTLS, IP allow-list, rate limits, credential counts")
      .argument("<account_id>", "krn:partner:global:account:…")
      .option("--json", "print JSON"),
  ).action(async (accountId: string, options: ConnectionOptions & { json?: boolean }) => {
    const account = await adminClient(options).getAccount(accountId);
    if (options.json) {
      printJson(account);
      return;
    }
    process.stdout.write(describeAccount(account));
  });
}

function describeAccount(a: AdminAccount): string {
  const mtls =
    a.mtls.status === "ENFORCED"
      ? `ENFORCED since ${a.mtls.enforced_from}`
      : a.mtls.status === "SCHEDULED"
        ? `SCHEDULED from ${a.mtls.enforced_from}`
        : "NOT_ENFORCED";
  const certificates = `${a.mtls.valid_certificates} valid certificate${a.mtls.valid_certificates === 1 ? "" : "s"}`;
  const ip = a.ip_restriction;
  const limits = Object.entries(a.rate_limits)
    .map(([category, { limit, source }]) => `${category} ${limit} (${source})`)
    .join(", ");
  const counts = Object.entries(a.credentials)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  const lines: [string, string][] = [
    ["account", `${a.account_id} (${a.name})`],
    ["type", `${a.type}, ${a.environment}`],
    ["parent", a.parent_account_id ?? "-"],
    ["created", `${a.created_at} by ${a.created_by}`],
    [
      "status",
      a.status === "SUSPENDED"
        ? `SUSPENDED since ${a.suspended_at}${a.suspended_reason ? ` (${a.suspended_reason})` : ""}`
        : "ACTIVE",
    ],
    ["mtls", `${mtls}; ${a.mtls.enabled ? "enabled" : "not enabled"}, ${certificates}`],
    [
      "ip allow-list",
      ip.allowed_ips.length > 0
        ? `${ip.enforcement_mode}: ${ip.allowed_ips.join(", ")}`
        : ip.enforcement_mode,
    ],
    ["rate limits", limits || "-"],
    ["credentials", counts],
  ];
  return lines.map(([name, value]) => `${name.padEnd(14)} ${value}\n`).join("");
}
