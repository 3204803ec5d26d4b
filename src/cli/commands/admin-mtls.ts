import type { Command } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

/** `partnerctl admin mtls lift ACCOUNT_ID`: support's way out of an mTLS lock-out. */
export function adminMtlsCommands(admin: Command): void {
  const mtls = admin.command("mtls").description("support actions on an account's mTLS enforcement");
  withConnectionOptions(
    mtls
      .command("lift")
      .description(
        "lift mTLS enforcement (enforced or scheduled) so the partner can call again; certificates stay",
      )
      .argument("<account_id>", "krn:partner:global:account:…")
      .option("--json", "print the enforcement state as JSON"),
  ).action(async (accountId: string, options: ConnectionOptions & { json?: boolean }) => {
    const state = await adminClient(options).liftMtlsEnforcement(accountId);
    if (options.json) {
      printJson(state);
      return;
    }
    process.stdout.write(
      `${accountId}: mTLS ${state.status}${state.mtls_enabled ? " (certificates kept)" : ""}\n`,
    );
  });
}
