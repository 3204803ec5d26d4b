import type { Command } from "commander";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

/** `partnerctl admin credentials enable|disable ACCOUNT_ID CREDENTIAL_ID` for support staff. */
export function adminCredentialsCommands(admin: Command): void {
  const credentials = admin.command("credentials").description("support actions on a partner's credentials");
  for (const action of ["enable", "disable"] as const) {
    withConnectionOptions(
      credentials
        .command(action)
        .description(
          action === "enable"
            ? "reactivate a disabled credential and restart its inactivity clock"
            : "disable a credential (reason OPERATOR)",
        )
        .argument("<account_id>", "krn:partner:global:account:…")
        .argument("<credential_id>", "the credential's UUID")
        .option("--json", "print the credential as JSON"),
    ).action(
      async (accountId: string, credentialId: string, options: ConnectionOptions & { json?: boolean }) => {
        const client = adminClient(options);
        const credential =
          action === "enable"
            ? await client.enableCredential(accountId, credentialId)
            : await client.disableCredential(accountId, credentialId);
        if (options.json) {
          printJson(credential);
          return;
        }
        const reason = credential.status_reason ? ` (${credential.status_reason})` : "";
        process.stdout.write(`${credential.credential_id} is now ${credential.status}${reason}\n`);
      },
    );
  }
}
