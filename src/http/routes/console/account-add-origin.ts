import { Type } from "typebox";
import { enteredText } from "../../console/forms.ts";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { sendClientsPage } from "./account-clients.ts";
import { AccountParams, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/clients/origins`: the same service call (and validation) as
 * `POST /v1/account/allowed-origins`.
 */
export function accountAddOrigin(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/clients/origins",
    formRoute("credentials", {
      params: AccountParams,
      body: formBody({ origin: Type.String({ maxLength: 300 }) }),
    }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const result = await attemptForm(request, "add-origin", () =>
        services.origins.create(account, consoleContext(request), request.body.origin),
      );
      if (!result.ok) {
        return sendClientsPage(request, reply, services, account, {
          problem: result.problem,
          entered: { origin: enteredText(request, "origin") },
        });
      }
      return seeOther(reply, accountPath(account.accountId, "clients"), "origin-added");
    },
  );
}
