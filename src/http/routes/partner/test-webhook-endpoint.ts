import { errorResponses } from "../../schemas/common.ts";
import { EndpointIdParam, presentWebhookDelivery, WebhookDeliverySchema } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function testWebhookEndpoint(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/webhooks/:endpoint_id/test`,
      {
        schema: {
          operationId: scope.operationId("testWebhookEndpoint"),
          tags: [scope.tag],
          summary: "Queue a signed `webhook.test` message to the endpoint; answers its delivery (202)",
          params: scope.params(EndpointIdParam),
          response: { 202: WebhookDeliverySchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const delivery = await services.webhooks.sendTest(
          targetAccount(request),
          contextOf(request),
          request.params.endpoint_id,
        );
        return reply.code(202).send(presentWebhookDelivery(delivery));
      },
    );
  }
}
