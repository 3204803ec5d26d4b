import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { CredentialIdParam } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { ReturnTo, returnPage, sendCredentialPage } from "./account-credential-page.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/keys/:credential_id/disable`: the same service call as
 * `DELETE /v1/account/credentials/{id}` (API keys and Client IDs alike).
 */
export function accountDisableKey(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/keys/:credential_id/disable",
    formRoute("credentials", { params: accountParamsWith(CredentialIdParam), body: formBody(ReturnTo) }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const id = request.params.credential_id;
      const page = returnPage(request);
      const result = await attemptForm(request, `disable:${id}`, () =>
        services.credentials.disable(account, consoleContext(request), id, "PARTNER"),
      );
      if (!result.ok) return sendCredentialPage(page, request, reply, services, account, result.problem);
      return seeOther(reply, accountPath(account.accountId, page), "disabled");
    },
  );
}
