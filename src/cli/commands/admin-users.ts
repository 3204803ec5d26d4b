import type { Command } from "commander";
import type { ConsoleAccountRole, ConsoleInvitation, ConsoleUserRecord } from "../../client/types.ts";
import {
  adminClient,
  type ConnectionOptions,
  printJson,
  withConnectionOptions,
} from "../admin-connection.ts";

const ROLES: readonly ConsoleAccountRole[] = ["owner", "developer", "viewer"];

/**
 * `partnerctl admin users invite|list|reset|remove`: console users' one-time invitations, and the
 * recovery of the locked-out (a reset issues a new invitation; operators included).
 */
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
  withConnectionOptions(
    users
      .command("list")
      .description("an account's console users, or with --operators the support staff's, oldest first")
      .argument("[account_id]", "krn:partner:global:account:…")
      .option("--operators", "list the operators (users of no account) instead")
      .option("--json", "print JSON"),
  ).action(
    async (
      accountId: string | undefined,
      options: ConnectionOptions & { operators?: boolean; json?: boolean },
    ) => {
      if ((accountId === undefined) === (options.operators !== true)) {
        throw new Error("give either ACCOUNT_ID or --operators");
      }
      const { console_users } = await adminClient(options).listConsoleUsers(
        accountId === undefined ? { operators: true } : { accountId },
      );
      if (options.json) {
        printJson(console_users);
        return;
      }
      for (const u of console_users) process.stdout.write(`${userLine(u)}\n`);
    },
  );
  withConnectionOptions(
    users
      .command("reset")
      .description(
        "reset a user's sign-in: password, authenticator and recovery codes forgotten, signed out everywhere; prints a new one-time invitation link (shown once)",
      )
      .argument("<user_id>", "the user's id (see `users list`)")
      .option("--json", "print {user_id, invitation_url, expires_at} as JSON"),
  ).action(async (userId: string, options: ConnectionOptions & { json?: boolean }) => {
    const reset = await adminClient(options).resetConsoleUser(userId);
    if (options.json) {
      printJson(reset);
      return;
    }
    process.stdout.write(
      `The sign-in of user ${reset.user_id} is reset: signed out everywhere, password and authenticator forgotten.\n` +
        `Send them this one-time link (valid until ${reset.expires_at}) over a secure channel:\n${reset.invitation_url}\n`,
    );
  });
  withConnectionOptions(
    users
      .command("remove")
      .description("remove a user and end their sessions (an account's last owner too)")
      .argument("<user_id>", "the user's id (see `users list`)"),
  ).action(async (userId: string, options: ConnectionOptions) => {
    await adminClient(options).removeConsoleUser(userId);
    process.stdout.write(`Console user ${userId} is removed and signed out everywhere.\n`);
  });
}

function userLine(u: ConsoleUserRecord): string {
  const twoFactor = u.second_factor ? "2FA" : "no 2FA";
  return `${u.user_id}  ${u.role.padEnd(9)}  ${u.status.padEnd(7)}  ${twoFactor.padEnd(6)}  ${u.email}`;
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
