import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { DeliveryIdParam, EndpointIdParam } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendDeliveriesPage } from "./account-webhook-deliveries.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/webhooks/:endpoint_id/deliveries/:delivery_id/redeliver`: the
 * same service call as `POST /v1/account/webhooks/{id}/deliveries/{delivery_id}/redeliver`.
 */
export function accountRedeliverWebhook(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/webhooks/:endpoint_id/deliveries/:delivery_id/redeliver",
    formRoute("webhooks", {
      params: accountParamsWith({ ...EndpointIdParam, ...DeliveryIdParam }),
      body: formBody({}),
    }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const { endpoint_id: endpointId, delivery_id: deliveryId } = request.params;
      const form = `redeliver:${deliveryId}`;
      const result = await attemptForm(request, form, () =>
        services.webhooks.redeliver(account, consoleContext(request), endpointId, deliveryId),
      );
      if (!result.ok) {
        return sendDeliveriesPage(request, reply, services, account, endpointId, { problem: result.problem });
      }
      return seeOther(
        reply,
        accountPath(account.accountId, `webhooks/${encodeURIComponent(endpointId)}/deliveries`),
        "redelivered",
      );
    },
  );
}
