import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { presentWebhookEndpoint, WebhookEndpointSchema } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function listWebhookEndpoints(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/webhooks`,
      {
        schema: {
          operationId: scope.operationId("listWebhookEndpoints"),
          tags: [scope.tag],
          summary: "The account's webhook endpoints, oldest first (never a secret)",
          params: scope.params({}),
          response: {
            200: Type.Object({ webhooks: Type.Array(WebhookEndpointSchema) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const now = services.now();
        const endpoints = await services.webhooks.list(targetAccount(request), contextOf(request));
        return { webhooks: endpoints.map((e) => presentWebhookEndpoint(e, { now })) };
      },
    );
  }
}
