import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { CredentialIdParam, DESCRIPTION_SCHEMA } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { ReturnTo, returnPage, sendCredentialPage } from "./account-credential-page.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/keys/:credential_id/description`: the same service call as
 * `PATCH /v1/account/credentials/{id}` (a description that holds a key is refused alike).
 */
export function accountDescribeKey(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/keys/:credential_id/description",
    formRoute("credentials", {
      params: accountParamsWith(CredentialIdParam),
      body: formBody({ description: DESCRIPTION_SCHEMA, ...ReturnTo }),
    }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const id = request.params.credential_id;
      const page = returnPage(request);
      const form = `description:${id}`;
      const result = await attemptForm(request, form, () =>
        services.credentials.updateDescription(
          account,
          consoleContext(request),
          id,
          request.body.description,
        ),
      );
      if (!result.ok) return sendCredentialPage(page, request, reply, services, account, result.problem);
      return seeOther(reply, accountPath(account.accountId, page), "described");
    },
  );
}
