import { consoleAccount, consoleContext, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, seeOther } from "./console-pages.ts";
import { operatorDone, sendOperatorAccountPage } from "./operator-common.ts";

/**
 * `POST /console/operator/accounts/:account_id/ip-restriction/reset` (operators): the same service
 * call as `DELETE /admin/v1/accounts/{account_id}/ip-restriction`.
 */
export function operatorResetIp(app: App, services: AppServices): void {
  app.post(
    "/console/operator/accounts/:account_id/ip-restriction/reset",
    { preHandler: requireConsole("operate") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const outcome = await attemptChange(() =>
        services.security.resetIpRestriction(account, consoleContext(request)),
      );
      if (!outcome.ok)
        return sendOperatorAccountPage(request, reply, services, account, { error: outcome.error });
      return seeOther(reply, operatorDone(account, "ip-reset"));
    },
  );
}
