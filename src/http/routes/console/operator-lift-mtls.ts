import { consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorActionRoute } from "./operator-common.ts";

/**
 * `POST /console/operator/accounts/:account_id/mtls-enforcement/lift` (operators): the same service
 * call as `DELETE /admin/v1/accounts/{account_id}/mtls-enforcement`.
 */
export function operatorLiftMtls(app: App, services: AppServices): void {
  operatorActionRoute(app, services, {
    action: "mtls-enforcement/lift",
    change: (request, account) => services.security.liftMtlsForOperator(account, consoleContext(request)),
    done: () => "mtls-lifted",
  });
}
