import { usersPath } from "../../console/views/users-page.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, HIDDEN, pathParam, seeOther } from "./console-pages.ts";
import { sendUsersPage } from "./users-common.ts";

/**
 * `POST /console/accounts/:account_id/users/:user_id/reset-second-factor` (owners): the user's
 * TOTP and recovery codes are forgotten and their sessions end; they enrol again at next sign-in.
 */
export function resetUserSecondFactor(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/users/:user_id/reset-second-factor",
    { schema: HIDDEN, preHandler: requireConsole("users") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const userId = pathParam(request, "user_id");
      const outcome = await attemptChange(() =>
        services.consoleIdentity.resetSecondFactor(account.accountId, userId, consoleContext(request)),
      );
      if ("error" in outcome)
        return sendUsersPage(request, reply, services, account, { error: outcome.error });
      return seeOther(reply, `${usersPath(account)}?done=second-factor-reset`);
    },
  );
}
