import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, pathParam, seeOther } from "./console-pages.ts";
import { operatorDone, sendOperatorAccountPage } from "./operator-common.ts";

/**
 * `POST /console/operator/accounts/:account_id/credentials/:credential_id/enable` (operators): the
 * same service call as `POST /admin/v1/accounts/{account_id}/credentials/{credential_id}/enable`.
 */
export function operatorReactivateCredential(app: App, services: AppServices): void {
  app.post(
    "/console/operator/accounts/:account_id/credentials/:credential_id/enable",
    { preHandler: requireConsole("operate") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const outcome = await attemptChange(() =>
        services.credentials.enable(account, consoleContext(request), pathParam(request, "credential_id")),
      );
      if (!outcome.ok)
        return sendOperatorAccountPage(request, reply, services, account, { error: outcome.error });
      request.log.info(
        { account_id: account.accountId, credential_id: outcome.value.credentialId },
        "credential reactivated",
      );
      return seeOther(reply, operatorDone(account, "reactivated"));
    },
  );
}
