import type { App, AppServices } from "../../types.ts";
import { credentialStatusRoute } from "./credential-status.ts";

export function adminDisableCredential(app: App, services: AppServices): void {
  credentialStatusRoute(app, services, {
    action: "disable",
    operationId: "adminDisableCredential",
    summary: "Support: disable a credential (reason OPERATOR), e.g. after a leak report",
    change: (account, context, credentialId) =>
      services.credentials.disable(account, context, credentialId, "OPERATOR"),
  });
}
