import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { sendClientsPage } from "./account-clients.ts";
import { AccountParams, accountPath, attemptForm, formRoute } from "./account-common.ts";
import { enteredCredential, NewCredentialBody, newCredential } from "./account-new-credential.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/clients`: creates a Client ID through the same service call
 * as `POST /v1/account/credentials` with `type: CLIENT` (and so under the same limit per account).
 */
export function accountCreateClient(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/clients",
    formRoute("credentials", { params: AccountParams, body: NewCredentialBody }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const entered = enteredCredential(request);
      const result = await attemptForm(request, "create-client", () =>
        services.credentials.create(account, consoleContext(request), newCredential("CLIENT", request.body)),
      );
      if (!result.ok)
        return sendClientsPage(request, reply, services, account, { problem: result.problem, entered });
      return seeOther(reply, accountPath(account.accountId, "clients"), "created");
    },
  );
}
