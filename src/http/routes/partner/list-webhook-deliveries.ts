import { Type } from "typebox";
import { nextPageField, pageRequest } from "../../paging.ts";
import { errorResponses, NextPageToken, PageQuery } from "../../schemas/common.ts";
import { EndpointIdParam, presentWebhookDelivery, WebhookDeliverySchema } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function listWebhookDeliveries(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/webhooks/:endpoint_id/deliveries`,
      {
        schema: {
          operationId: scope.operationId("listWebhookDeliveries"),
          tags: [scope.tag],
          summary: "The endpoint's delivery log, newest first: status, attempts, last response code",
          params: scope.params(EndpointIdParam),
          querystring: Type.Object(PageQuery, { additionalProperties: false }),
          response: {
            200: Type.Object({ deliveries: Type.Array(WebhookDeliverySchema), ...NextPageToken }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const page = await services.webhooks.deliveries(
          targetAccount(request),
          contextOf(request),
          request.params.endpoint_id,
          pageRequest(request.query),
        );
        return { deliveries: page.items.map(presentWebhookDelivery), ...nextPageField(page) };
      },
    );
  }
}
