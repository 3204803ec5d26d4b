import { consoleAccount, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { doneNotice, queryField } from "./console-pages.ts";
import { sendUsersPage, USER_NOTICES } from "./users-common.ts";

/** `GET /console/accounts/:account_id/users` (owners): the account's users and the invitation form. */
export function showUsers(app: App, services: AppServices): void {
  app.get(
    "/console/accounts/:account_id/users",
    { preHandler: requireConsole("users") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const done = queryField(request, "done");
      return sendUsersPage(request, reply, services, account, { notice: doneNotice(USER_NOTICES, done) });
    },
  );
}
