import type { App, AppServices } from "../../types.ts";
import { credentialStatusRoute } from "./account-credential-status.ts";

/**
 * `POST /console/accounts/:account_id/keys/:credential_id/disable`: the same service call as
 * `DELETE /v1/account/credentials/{id}` (API keys and Client IDs alike).
 */
export function accountDisableKey(app: App, services: AppServices): void {
  credentialStatusRoute(app, services, {
    action: "disable",
    done: "disabled",
    change: (account, context, id) => services.credentials.disable(account, context, id, "PARTNER"),
  });
}
