import { consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { pathParam } from "./console-pages.ts";
import { operatorActionRoute } from "./operator-common.ts";

/**
 * `POST /console/operator/accounts/:account_id/credentials/:credential_id/enable` (operators): the
 * same service call as `POST /admin/v1/accounts/{account_id}/credentials/{credential_id}/enable`.
 */
export function operatorReactivateCredential(app: App, services: AppServices): void {
  operatorActionRoute(app, services, {
    action: "credentials/:credential_id/enable",
    change: async (request, account) => {
      const credential = await services.credentials.enable(
        account,
        consoleContext(request),
        pathParam(request, "credential_id"),
      );
      request.log.info(
        { account_id: account.accountId, credential_id: credential.credentialId },
        "credential reactivated",
      );
      return credential;
    },
    done: () => "reactivated",
  });
}
