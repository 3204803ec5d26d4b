import { errorResponses } from "../../schemas/common.ts";
import {
  DeliveryIdParam,
  EndpointIdParam,
  presentWebhookDelivery,
  WebhookDeliverySchema,
} from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function redeliverWebhookDelivery(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/webhooks/:endpoint_id/deliveries/:delivery_id/redeliver`,
      {
        schema: {
          operationId: scope.operationId("redeliverWebhookDelivery"),
          tags: [scope.tag],
          summary: "Send a message again (same webhook-id and body) as a new delivery (202)",
          params: scope.params({ ...EndpointIdParam, ...DeliveryIdParam }),
          response: { 202: WebhookDeliverySchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const delivery = await services.webhooks.redeliver(
          targetAccount(request),
          contextOf(request),
          request.params.endpoint_id,
          request.params.delivery_id,
        );
        return reply.code(202).send(presentWebhookDelivery(delivery));
      },
    );
  }
}
