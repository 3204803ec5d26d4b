import { Type } from "typebox";
import { DESCRIPTION_PATTERN } from "../../../domain/credential-rules.ts";
import { consolePage } from "../../console/layout.ts";
import { webhookSecretPage } from "../../console/views/webhooks-page.ts";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import {
  AccountParams,
  accountPath,
  attempt,
  enteredText,
  formBody,
  sendDocument,
  validationProblem,
} from "./account-common.ts";
import { sendWebhooksPage } from "./account-webhooks.ts";

/** Checked boxes arrive as one value or several; none at all is an empty list (which the service refuses). */
export function eventList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : [...value];
}

/**
 * `POST /console/accounts/:account_id/webhooks`: registers an endpoint through the same service call
 * as `POST /v1/account/webhooks`, and shows its signing secret this once.
 */
export function accountCreateWebhook(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/webhooks",
    {
      schema: {
        params: AccountParams,
        body: formBody({
          url: Type.String({ maxLength: 2000 }),
          events: Type.Optional(
            Type.Union([
              Type.String({ maxLength: 64 }),
              Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
            ]),
          ),
          description: Type.Optional(Type.String({ pattern: DESCRIPTION_PATTERN.source, maxLength: 100 })),
        }),
      },
      attachValidation: true,
      preHandler: requireConsole("webhooks"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const invalid = validationProblem(request);
      const result = invalid
        ? { ok: false as const, problem: { form: "create", error: invalid } }
        : await attempt("create", () =>
            services.webhooks.create(account, consoleContext(request), {
              url: request.body.url,
              events: eventList(request.body.events),
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
      return sendDocument(
        reply,
        200,
        consolePage(request, { title: "Webhook endpoint added", account, section: "webhooks", body }),
      );
    },
  );
}
