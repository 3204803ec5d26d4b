import { formField } from "../../console/forms.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, refused } from "./console-pages.ts";
import { postedRole, sendUsersPage } from "./users-common.ts";

/**
 * `POST /console/accounts/:account_id/users` (`email`, `role`; owners): invites a user and shows
 * the one-time invitation link, this once, for the owner to send.
 */
export function inviteUser(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/users",
    { preHandler: requireConsole("users") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const email = formField(request, "email");
      const role = postedRole(formField(request, "role"));
      const outcome =
        typeof role === "string"
          ? await attemptChange(() =>
              services.consoleIdentity.invite(
                { accountId: account.accountId, email, role },
                consoleContext(request),
              ),
            )
          : refused(role);
      if (!outcome.ok) {
        return sendUsersPage(request, reply, services, account, {
          error: outcome.error,
          entered: { email, role: formField(request, "role") },
        });
      }
      const { user, invitationUrl, expiresAt } = outcome.value;
      return sendUsersPage(request, reply, services, account, {
        invited: { email: user.email, invitationUrl, expiresAt },
      });
    },
  );
}
