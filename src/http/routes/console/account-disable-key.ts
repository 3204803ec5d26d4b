import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import { CredentialIdParam } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import {
  accountParamsWith,
  accountPath,
  attempt,
  formBody,
  seeOther,
  validationProblem,
} from "./account-common.ts";
import { ReturnTo, returnPage, sendCredentialPage } from "./account-credential-page.ts";

/**
 * `POST /console/accounts/:account_id/keys/:credential_id/disable`: the same service call as
 * `DELETE /v1/account/credentials/{id}` (API keys and Client IDs alike).
 */
export function accountDisableKey(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/keys/:credential_id/disable",
    {
      schema: { params: accountParamsWith(CredentialIdParam), body: formBody(ReturnTo) },
      attachValidation: true,
      preHandler: requireConsole("credentials"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const id = request.params.credential_id;
      const page = returnPage(request);
      const invalid = validationProblem(request);
      const result = invalid
        ? { ok: false as const, problem: { form: `disable:${id}`, error: invalid } }
        : await attempt(`disable:${id}`, () =>
            services.credentials.disable(account, consoleContext(request), id, "PARTNER"),
          );
      if (!result.ok) return sendCredentialPage(page, request, reply, services, account, result.problem);
      return seeOther(reply, accountPath(account.accountId, page), "disabled");
    },
  );
}
