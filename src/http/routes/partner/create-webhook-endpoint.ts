import { errorResponses } from "../../schemas/common.ts";
import {
  NewWebhookEndpointBody,
  presentWebhookEndpoint,
  WebhookEndpointSchema,
} from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function createWebhookEndpoint(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/webhooks`,
      {
        schema: {
          operationId: scope.operationId("createWebhookEndpoint"),
          tags: [scope.tag],
          summary:
            "Register a webhook endpoint for lifecycle events; its signing secret is in this answer only",
          description:
            "The URL must be https and must not resolve to a private, loopback, link-local or metadata address. " +
            "Deliveries are signed by the Standard Webhooks specification (webhook-id, webhook-timestamp, " +
            "webhook-signature) with the secret `whsec_…` answered here once. At most 10 endpoints per account.",
          params: scope.params({}),
          body: NewWebhookEndpointBody,
          response: { 200: WebhookEndpointSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        const { endpoint, secret } = await services.webhooks.create(
          account,
          contextOf(request),
          request.body,
        );
        return reply.code(200).send(presentWebhookEndpoint(endpoint, { now: services.now(), secret }));
      },
    );
  }
}
