import { userRolePage } from "../../console/views/users-page.ts";
import { consoleAccount, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { pathParam, sendPage } from "./console-pages.ts";
import { userOf } from "./users-common.ts";

/** `GET /console/accounts/:account_id/users/:user_id/role` (owners): the form that changes a role. */
export function showUserRole(app: App, services: AppServices): void {
  app.get(
    "/console/accounts/:account_id/users/:user_id/role",
    { preHandler: requireConsole("users") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const user = await userOf(services, account, pathParam(request, "user_id"));
      return sendPage(request, reply, {
        title: "Change role",
        account,
        section: "users",
        body: userRolePage(request, { account, user }),
      });
    },
  );
}
