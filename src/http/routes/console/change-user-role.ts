import { formField } from "../../console/forms.ts";
import { userRolePage, usersPath } from "../../console/views/users-page.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, pathParam, refused, seeOther, sendPage } from "./console-pages.ts";
import { postedRole, userOf } from "./users-common.ts";

/**
 * `POST /console/accounts/:account_id/users/:user_id/role` (`role`; owners): the service refuses
 * to demote the account's last active owner; the refusal shows on the form.
 */
export function changeUserRole(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/users/:user_id/role",
    { preHandler: requireConsole("users") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const user = await userOf(services, account, pathParam(request, "user_id"));
      const role = postedRole(formField(request, "role"));
      const outcome =
        typeof role === "string"
          ? await attemptChange(() =>
              services.consoleIdentity.changeRole(
                account.accountId,
                user.userId,
                role,
                consoleContext(request),
              ),
            )
          : refused(role);
      if (outcome.ok) return seeOther(reply, `${usersPath(account)}?done=role-changed`);
      return sendPage(request, reply, {
        refusal: outcome.error,
        title: "Change role",
        account,
        section: "users",
        body: userRolePage(request, { account, user, error: outcome.error }),
      });
    },
  );
}
