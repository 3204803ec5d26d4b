import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendSecurityPage } from "./account-security.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/security/mtls/lift`: the same service call as
 * `DELETE /v1/account/mtls-enforcement`. A scheduled enforcement can be lifted; an enforced one
 * needs a request with a valid client certificate, which a console request never presents.
 */
export function accountLiftMtls(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/security/mtls/lift",
    formRoute("security", { params: AccountParams, body: formBody({}) }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const result = await attemptForm(request, "lift-mtls", () =>
        services.security.liftMtls(account, consoleContext(request), null),
      );
      if (!result.ok) return sendSecurityPage(request, reply, services, account, { problem: result.problem });
      return seeOther(reply, accountPath(account.accountId, "security"), "mtls-lifted");
    },
  );
}
