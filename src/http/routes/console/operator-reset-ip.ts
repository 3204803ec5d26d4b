import { consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorActionRoute } from "./operator-common.ts";

/**
 * `POST /console/operator/accounts/:account_id/ip-restriction/reset` (operators): the same service
 * call as `DELETE /admin/v1/accounts/{account_id}/ip-restriction`.
 */
export function operatorResetIp(app: App, services: AppServices): void {
  operatorActionRoute(app, services, {
    action: "ip-restriction/reset",
    change: (request, account) => services.security.resetIpRestriction(account, consoleContext(request)),
    done: () => "ip-reset",
  });
}
