import { Command } from "commander";
import { ApiError } from "../client/http.ts";
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
import { gatewayCommand } from "./commands/gateway.ts";
import { lifecycleCommands } from "./commands/lifecycle-sweep.ts";
import { serveCommand } from "./commands/serve.ts";

export function buildProgram(): Command {
  const program = new Command("partnerctl")
    .description("partner-credentials: API keys and Client IDs for Acquiring Partners")
    .showHelpAfterError();
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
  adminAuditCommands(admin);
  lifecycleCommands(program);
  return program;
}

function describe(error: unknown): string {
  if (error instanceof ApiError) {
    const details = error.errors.map((v) => `\n  ${v.parameter}: ${v.errorMessage}`).join("");
    return `${error.errorCode}: ${error.message}${details}`;
  }
  if (error instanceof ConfigError) return error.message;
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
    process.stderr.write(`partnerctl: ${describe(error)}\n`);
    process.exitCode = 1;
  }
}

await run(process.argv);
