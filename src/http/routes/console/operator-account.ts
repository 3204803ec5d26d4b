import { consoleAccount, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { doneNotice, queryField } from "./console-pages.ts";
import { OPERATOR_NOTICES, sendOperatorAccountPage } from "./operator-common.ts";

/**
 * `GET /console/operator/accounts/:account_id` (operators): the account's facts and credentials,
 * with reactivate, lift mTLS enforcement, reset IP restriction and suspend/resume.
 */
export function operatorAccount(app: App, services: AppServices): void {
  app.get(
    "/console/operator/accounts/:account_id",
    { preHandler: requireConsole("operate") },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const done = queryField(request, "done");
      return sendOperatorAccountPage(request, reply, services, account, {
        notice: doneNotice(OPERATOR_NOTICES, done),
      });
    },
  );
}
