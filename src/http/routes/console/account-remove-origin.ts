import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { OriginIdParam } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { sendClientsPage } from "./account-clients.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/clients/origins/:origin_id/remove`: the same service call as
 * `DELETE /v1/account/allowed-origins/{origin_id}`.
 */
export function accountRemoveOrigin(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/clients/origins/:origin_id/remove",
    formRoute("credentials", { params: accountParamsWith(OriginIdParam), body: formBody({}) }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const form = `remove-origin:${request.params.origin_id}`;
      const result = await attemptForm(request, form, () =>
        services.origins.delete(account, consoleContext(request), request.params.origin_id),
      );
      if (!result.ok) return sendClientsPage(request, reply, services, account, { problem: result.problem });
      return seeOther(reply, accountPath(account.accountId, "clients"), "origin-removed");
    },
  );
}
