import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { EndpointIdParam } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendWebhooksPage } from "./account-webhooks.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/webhooks/:endpoint_id/test`: the same service call as
 * `POST /v1/account/webhooks/{id}/test`; then the endpoint's deliveries.
 */
export function accountTestWebhook(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/webhooks/:endpoint_id/test",
    formRoute("webhooks", { params: accountParamsWith(EndpointIdParam), body: formBody({}) }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const id = request.params.endpoint_id;
      const result = await attemptForm(request, `test:${id}`, () =>
        services.webhooks.sendTest(account, consoleContext(request), id),
      );
      if (!result.ok) return sendWebhooksPage(request, reply, services, account, { problem: result.problem });
      return seeOther(
        reply,
        accountPath(account.accountId, `webhooks/${encodeURIComponent(id)}/deliveries`),
        "tested",
      );
    },
  );
}
