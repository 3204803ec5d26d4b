import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { EndpointIdParam } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function deleteWebhookEndpoint(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.delete(
      `${scope.prefix}/webhooks/:endpoint_id`,
      {
        schema: {
          operationId: scope.operationId("deleteWebhookEndpoint"),
          tags: [scope.tag],
          summary: "Remove a webhook endpoint and its pending deliveries (204)",
          params: scope.params(EndpointIdParam),
          response: { 204: Type.Null({ description: "Removed" }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        await services.webhooks.delete(account, contextOf(request), request.params.endpoint_id);
        return reply.code(204).send(null);
      },
    );
  }
}
