import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, seeOther } from "./console-pages.ts";
import { operatorDone, sendOperatorAccountPage } from "./operator-common.ts";

/**
 * `POST /console/operator/accounts/:account_id/mtls-enforcement/lift` (operators): the same service
 * call as `DELETE /admin/v1/accounts/{account_id}/mtls-enforcement`.
 */
export function operatorLiftMtls(app: App, services: AppServices): void {
  app.post(
    "/console/operator/accounts/:account_id/mtls-enforcement/lift",
    { preHandler: requireConsole("operate") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const outcome = await attemptChange(() =>
        services.security.liftMtlsForOperator(account, consoleContext(request)),
      );
      if (!outcome.ok)
        return sendOperatorAccountPage(request, reply, services, account, { error: outcome.error });
      return seeOther(reply, operatorDone(account, "mtls-lifted"));
    },
  );
}
