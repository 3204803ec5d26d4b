import { Type } from "typebox";
import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { sendClientsPage } from "./account-clients.ts";
import {
  AccountParams,
  accountPath,
  attempt,
  enteredText,
  formBody,
  seeOther,
  validationProblem,
} from "./account-common.ts";

/**
 * `POST /console/accounts/:account_id/clients/origins`: the same service call (and validation) as
 * `POST /v1/account/allowed-origins`.
 */
export function accountAddOrigin(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/clients/origins",
    {
      schema: { params: AccountParams, body: formBody({ origin: Type.String({ maxLength: 300 }) }) },
      attachValidation: true,
      preHandler: requireConsole("credentials"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const invalid = validationProblem(request);
      const result = invalid
        ? { ok: false as const, problem: { form: "add-origin", error: invalid } }
        : await attempt("add-origin", () =>
            services.origins.create(account, consoleContext(request), request.body.origin),
          );
      if (!result.ok) {
        return sendClientsPage(request, reply, services, account, {
          problem: result.problem,
          entered: { origin: enteredText(request, "origin") },
        });
      }
      return seeOther(reply, accountPath(account.accountId, "clients"), "origin-added");
    },
  );
}
