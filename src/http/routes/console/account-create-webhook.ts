import { enteredText } from "../../console/forms.ts";
import { webhookSecretPage } from "../../console/views/webhooks-page.ts";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { NewWebhookEndpointBody } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendWebhooksPage } from "./account-webhooks.ts";
import { sendPage } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/webhooks`: registers an endpoint through the same service call
 * as `POST /v1/account/webhooks`, and shows its signing secret this once.
 */
export function accountCreateWebhook(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/webhooks",
    {
      // The API's fields and schemas, so that a refusal reads the same.
      ...formRoute("webhooks", { params: AccountParams, body: formBody(NewWebhookEndpointBody.properties) }),
      // One checked box arrives as a string: the API's body has the list.
      preValidation: async (request) => {
        const body = request.body as { events?: unknown } | null | undefined;
        if (body && typeof body.events === "string") body.events = [body.events];
      },
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const result = await attemptForm(request, "create", () =>
        services.webhooks.create(account, consoleContext(request), {
          url: request.body.url,
          events: request.body.events,
          description: request.body.description ?? "",
        }),
      );
      if (!result.ok) {
        const events = (request.body as { events?: unknown } | undefined)?.events;
        return sendWebhooksPage(request, reply, services, account, {
          problem: result.problem,
          entered: {
            url: enteredText(request, "url"),
            description: enteredText(request, "description"),
            events: Array.isArray(events)
              ? events.filter((e) => typeof e === "string")
              : typeof events === "string"
                ? [events]
                : [],
          },
        });
      }
      const body = webhookSecretPage({
        base: accountPath(account.accountId, ""),
        endpoint: result.value.endpoint,
        secret: result.value.secret,
        rotated: false,
        now: services.now(),
      });
      return sendPage(request, reply, {
        title: "Webhook endpoint added",
        account,
        section: "webhooks",
        body,
      });
    },
  );
}
