import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { EndpointIdParam } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendWebhooksPage } from "./account-webhooks.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/webhooks/:endpoint_id/delete`: the same service call as
 * `DELETE /v1/account/webhooks/{id}`.
 */
export function accountDeleteWebhook(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/webhooks/:endpoint_id/delete",
    formRoute("webhooks", { params: accountParamsWith(EndpointIdParam), body: formBody({}) }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const form = `delete:${request.params.endpoint_id}`;
      const result = await attemptForm(request, form, () =>
        services.webhooks.delete(account, consoleContext(request), request.params.endpoint_id),
      );
      if (!result.ok) return sendWebhooksPage(request, reply, services, account, { problem: result.problem });
      return seeOther(reply, accountPath(account.accountId, "webhooks"), "deleted");
    },
  );
}
