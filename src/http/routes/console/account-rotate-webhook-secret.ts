import { webhookSecretPage } from "../../console/views/webhooks-page.ts";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { EndpointIdParam } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendWebhooksPage } from "./account-webhooks.ts";
import { sendPage } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/webhooks/:endpoint_id/rotate-secret`: the same service call as
 * `POST /v1/account/webhooks/{id}/rotate-secret`; the new secret is shown once.
 */
export function accountRotateWebhookSecret(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/webhooks/:endpoint_id/rotate-secret",
    formRoute("webhooks", { params: accountParamsWith(EndpointIdParam), body: formBody({}) }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const form = `rotate-secret:${request.params.endpoint_id}`;
      const result = await attemptForm(request, form, () =>
        services.webhooks.rotateSecret(account, consoleContext(request), request.params.endpoint_id),
      );
      if (!result.ok) return sendWebhooksPage(request, reply, services, account, { problem: result.problem });
      const body = webhookSecretPage({
        base: accountPath(account.accountId, ""),
        endpoint: result.value.endpoint,
        secret: result.value.secret,
        rotated: true,
        now: services.now(),
      });
      return sendPage(request, reply, {
        title: "Webhook secret rotated",
        account,
        section: "webhooks",
        body,
      });
    },
  );
}
