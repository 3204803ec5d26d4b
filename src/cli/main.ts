import { readFileSync } from "node:fs";
import { ApiError, TransportError } from "@partner-credentials/client";
import { Command, CommanderError } from "commander";
import { ConfigError } from "../config.ts";
import { adminAccountsCreateCommand } from "./commands/admin-accounts-create.ts";
import { adminAccountsLimitsCommand } from "./commands/admin-accounts-limits.ts";
import { adminAccountsLinkCommand } from "./commands/admin-accounts-link.ts";
import { adminAccountsListCommand } from "./commands/admin-accounts-list.ts";
import { adminAccountsShowCommand } from "./commands/admin-accounts-show.ts";
import { adminAccountsSuspensionCommands } from "./commands/admin-accounts-suspension.ts";
import { adminAuditCommands } from "./commands/admin-audit.ts";
import { adminCredentialsCommands } from "./commands/admin-credentials.ts";
import { adminIpRestrictionCommands } from "./commands/admin-ip-restriction.ts";
import { adminMtlsCommands } from "./commands/admin-mtls.ts";
import { adminOperatorsCommands } from "./commands/admin-operators.ts";
import { adminServiceTokensCommands } from "./commands/admin-service-tokens.ts";
import { adminUsersCommands } from "./commands/admin-users.ts";
import { gatewayCommand } from "./commands/gateway.ts";
import { lifecycleCommands } from "./commands/lifecycle-sweep.ts";
import { partnerCertificatesCommands } from "./commands/partner-certificates.ts";
import { partnerCredentialsCommands } from "./commands/partner-credentials.ts";
import { partnerIpRestrictionCommands } from "./commands/partner-ip-restriction.ts";
import { partnerOriginsCommands } from "./commands/partner-origins.ts";
import { serveCommand } from "./commands/serve.ts";

export function buildProgram(): Command {
  const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  const program = new Command("partnerctl")
    .description("partner-credentials: API keys and Client IDs for Acquiring Partners")
    .version(version)
    .showHelpAfterError()
    .exitOverride();
  serveCommand(program);
  gatewayCommand(program);
  const admin = program.command("admin").description("operator commands (talk to the admin API)");
  const accounts = admin.command("accounts").description("Acquiring Partner accounts and onboarding links");
  adminAccountsCreateCommand(accounts);
  adminAccountsLinkCommand(accounts);
  adminAccountsListCommand(accounts);
  adminAccountsLimitsCommand(accounts);
  adminAccountsShowCommand(accounts);
  adminAccountsSuspensionCommands(accounts);
  adminCredentialsCommands(admin);
  adminMtlsCommands(admin);
  adminIpRestrictionCommands(admin);
  adminServiceTokensCommands(admin);
  adminOperatorsCommands(admin);
  adminUsersCommands(admin);
  adminAuditCommands(admin);
  lifecycleCommands(program);
  // A partner's own commands, with its API key (PARTNER_API_KEY or the profile file).
  partnerCredentialsCommands(program);
  partnerCertificatesCommands(program);
  partnerIpRestrictionCommands(program);
  partnerOriginsCommands(program);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/** Exit codes scripts can branch on: 2 usage, 3 not authorized, 4 not found, 5 rate limited, 1 anything else. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 401 || status === 403) return 3;
  if (status === 404) return 4;
  if (status === 429) return 5;
  return 1;
}

function describe(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.errors.map((v) => `\n  ${v.parameter}: ${v.errorMessage}`).join("");
    return `${error.errorCode}: ${error.message}${details}`;
  }
  if (error instanceof ConfigError) return error.message;
  if (error instanceof TransportError)
    return `${error.message}: cannot reach the service; check --url or PARTNER_API_URL`;
  if (error instanceof Error && error.message === "fetch failed") {
    const cause = error.cause as { code?: string; errors?: { code?: string }[] } | undefined;
    const code = cause?.code ?? cause?.errors?.[0]?.code ?? "network error";
    return `Cannot reach the server (${code}); is \`partnerctl serve\` running, and is --url right?`;
  }
  return error instanceof Error ? error.message : String(error);
}

export async function run(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const code = exitCodeOf(error);
    // Commander has already printed its own usage message (and help or the version, with code 0).
    if (!(error instanceof CommanderError)) process.stderr.write(`partnerctl: ${describe(error)}\n`);
    process.exitCode = code;
  }
}

await run(process.argv);
