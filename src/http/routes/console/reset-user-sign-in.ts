import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, pathParam } from "./console-pages.ts";
import { sendUsersPage } from "./users-common.ts";

/**
 * `POST /console/accounts/:account_id/users/:user_id/reset-sign-in` (owners): the user's password,
 * TOTP secret and recovery codes are forgotten and their sessions end; the answer shows a new
 * one-time invitation link, this once, for the owner to send (the user chooses a password and enrols
 * again through it). The earlier address `…/reset-second-factor` does the same.
 */
export function resetUserSignIn(app: App, services: AppServices): void {
  for (const action of ["reset-sign-in", "reset-second-factor"]) {
    app.post(
      `/console/accounts/:account_id/users/:user_id/${action}`,
      { preHandler: requireConsole("users") },
      async (request, reply) => {
        const account = await consoleAccount(request);
        const userId = pathParam(request, "user_id");
        const outcome = await attemptChange(() =>
          services.consoleIdentity.resetSignIn(account.accountId, userId, consoleContext(request)),
        );
        if (!outcome.ok) return sendUsersPage(request, reply, services, account, { error: outcome.error });
        const { user, invitationUrl, expiresAt } = outcome.value;
        return sendUsersPage(request, reply, services, account, {
          invited: { email: user.email, invitationUrl, expiresAt, reset: true },
        });
      },
    );
  }
}
