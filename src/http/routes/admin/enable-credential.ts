import type { App, AppServices } from "../../types.ts";
import { credentialStatusRoute } from "./credential-status.ts";

export function adminEnableCredential(app: App, services: AppServices): void {
  credentialStatusRoute(app, services, {
    action: "enable",
    operationId: "adminEnableCredential",
    summary:
      "Support: reactivate a disabled credential (any reason but deletion) and restart its inactivity clock",
    change: (account, context, credentialId) => services.credentials.enable(account, context, credentialId),
  });
}
