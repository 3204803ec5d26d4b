import { errorResponses } from "../../schemas/common.ts";
import { EndpointIdParam, presentWebhookEndpoint, WebhookEndpointSchema } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function rotateWebhookSecret(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/webhooks/:endpoint_id/rotate-secret`,
      {
        schema: {
          operationId: scope.operationId("rotateWebhookSecret"),
          tags: [scope.tag],
          summary:
            "A new signing secret, in this answer only; the old one keeps signing beside it for 24 hours",
          description:
            "For 24 hours every delivery carries two signatures in webhook-signature (space-separated), one " +
            "under each secret, so the receiver can switch to the new secret whenever it is ready.",
          params: scope.params(EndpointIdParam),
          response: { 200: WebhookEndpointSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const { endpoint, secret } = await services.webhooks.rotateSecret(
          account,
          contextOf(request),
          request.params.endpoint_id,
        );
        return presentWebhookEndpoint(endpoint, { now: services.now(), secret });
      },
    );
  }
}
