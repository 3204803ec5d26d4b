import { Type } from "typebox";
import { enteredText } from "../../console/forms.ts";
import { consoleAccount, consoleContext, consoleSessionOf } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendSecurityPage } from "./account-security.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/security/mtls`: the same service call as
 * `PUT /v1/account/mtls-enforcement`. A console request presents no client certificate, so
 * enforcing the user's own account at once is refused by the same lock-out guard unless `force`.
 */
export function accountEnforceMtls(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/security/mtls",
    formRoute("security", {
      params: AccountParams,
      body: formBody({
        enforced_from: Type.String({ maxLength: 40 }),
        force: Type.Optional(Type.Literal("true")),
      }),
    }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const result = await attemptForm(request, "mtls", () =>
        services.security.enforceMtls(account, consoleContext(request), {
          enforcedFrom: request.body.enforced_from.trim(),
          callerMtls: null,
          callerAccountId: consoleSessionOf(request).user.accountId,
          force: request.body.force === "true",
        }),
      );
      if (!result.ok) {
        return sendSecurityPage(request, reply, services, account, {
          problem: result.problem,
          entered: { enforcedFrom: enteredText(request, "enforced_from") },
        });
      }
      return seeOther(reply, accountPath(account.accountId, "security"), "mtls-set");
    },
  );
}
