import { usersPath } from "../../console/views/users-page.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, pathParam, seeOther } from "./console-pages.ts";
import { sendUsersPage } from "./users-common.ts";

/**
 * `POST /console/accounts/:account_id/users/:user_id/remove` (owners): the user can no longer sign
 * in and their sessions end; the account's last active owner cannot be removed.
 */
export function removeUser(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/users/:user_id/remove",
    { preHandler: requireConsole("users") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const userId = pathParam(request, "user_id");
      const outcome = await attemptChange(() =>
        services.consoleIdentity.removeUser(account.accountId, userId, consoleContext(request)),
      );
      if (!outcome.ok) return sendUsersPage(request, reply, services, account, { error: outcome.error });
      return seeOther(reply, `${usersPath(account)}?done=removed`);
    },
  );
}
