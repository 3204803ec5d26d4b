import type { Command } from "commander";
import { adminClient, type ConnectionOptions, withConnectionOptions } from "../admin-connection.ts";
import { printInvitation } from "./admin-users.ts";

/** `partnerctl admin operators invite --email …`: one of the support staff into the console. */
export function adminOperatorsInviteCommand(operators: Command): void {
  withConnectionOptions(
    operators
      .command("invite")
      .description(
        "invite one of the support staff to the console as an operator (one-time link, shown once)",
      )
      .requiredOption("--email <email>", "their email address")
      .option("--json", "print {user_id, invitation_url, expires_at} as JSON"),
  ).action(async (options: ConnectionOptions & { email: string; json?: boolean }) => {
    const invited = await adminClient(options).inviteConsoleOperator({ email: options.email });
    printInvitation(invited, options.email, options.json === true);
  });
}
