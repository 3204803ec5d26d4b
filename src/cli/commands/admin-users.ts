import type { Command } from "commander";
import type { ConsoleAccountRole, ConsoleInvitation } from "../../client/types.ts";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

const ROLES: readonly ConsoleAccountRole[] = ["owner", "developer", "viewer"];

/** `partnerctl admin users invite ACCOUNT_ID --email … --role …`: a console user's one-time invitation. */
export function adminUsersCommands(admin: Command): void {
  const users = admin.command("users").description("console users of partner accounts");
  withConnectionOptions(
    users
      .command("invite")
      .description("invite a console user to an account with a one-time link (shown once)")
      .argument("<account_id>", "krn:partner:global:account:…")
      .requiredOption("--email <email>", "the user's email address")
      .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
      .option("--json", "print {user_id, invitation_url, expires_at} as JSON"),
  ).action(
    async (
      accountId: string,
      options: ConnectionOptions & { email: string; role: string; json?: boolean },
    ) => {
      const role = ROLES.find((r) => r === options.role);
      if (!role) throw new Error(`--role must be one of ${ROLES.join(", ")}`);
      const invited = await adminClient(options).inviteConsoleUser(accountId, { email: options.email, role });
      printInvitation(invited, options.email, options.json === true);
    },
  );
}

/** The invitation as JSON, or in words with the link to hand over. */
export function printInvitation(invited: ConsoleInvitation, email: string, json: boolean): void {
  if (json) {
    printJson(invited);
    return;
  }
  process.stdout.write(
    `Invitation for ${email} (user ${invited.user_id}), valid until ${invited.expires_at}.\n` +
      `Send them this one-time link over a secure channel:\n${invited.invitation_url}\n`,
  );
}
