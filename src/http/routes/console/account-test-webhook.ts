import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import { EndpointIdParam } from "../../schemas/webhook.ts";
import type { App, AppServices } from "../../types.ts";
import {
  accountParamsWith,
  accountPath,
  attempt,
  formBody,
  seeOther,
  validationProblem,
} from "./account-common.ts";
import { sendWebhooksPage } from "./account-webhooks.ts";

/**
 * `POST /console/accounts/:account_id/webhooks/:endpoint_id/test`: the same service call as
 * `POST /v1/account/webhooks/{id}/test`; then the endpoint's deliveries.
 */
export function accountTestWebhook(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/webhooks/:endpoint_id/test",
    {
      schema: { params: accountParamsWith(EndpointIdParam), body: formBody({}) },
      attachValidation: true,
      preHandler: requireConsole("webhooks"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const id = request.params.endpoint_id;
      const invalid = validationProblem(request);
      const result = invalid
        ? { ok: false as const, problem: { form: `test:${id}`, error: invalid } }
        : await attempt(`test:${id}`, () => services.webhooks.sendTest(account, consoleContext(request), id));
      if (!result.ok) return sendWebhooksPage(request, reply, services, account, { problem: result.problem });
      return seeOther(
        reply,
        accountPath(account.accountId, `webhooks/${encodeURIComponent(id)}/deliveries`),
        "tested",
      );
    },
  );
}
