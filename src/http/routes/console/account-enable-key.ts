import type { App, AppServices } from "../../types.ts";
import { credentialStatusRoute } from "./account-credential-status.ts";

/**
 * `POST /console/accounts/:account_id/keys/:credential_id/enable`: the same service call as
 * `POST /v1/account/credentials/{id}/enable` (API keys and Client IDs alike).
 */
export function accountEnableKey(app: App, services: AppServices): void {
  credentialStatusRoute(app, services, {
    action: "enable",
    done: "enabled",
    change: (account, context, id) => services.credentials.enable(account, context, id),
  });
}
