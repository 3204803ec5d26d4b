import type { App, AppServices } from "../../types.ts";
import { accountSuspensionRoute } from "./account-suspension.ts";

export function suspendAccount(app: App, services: AppServices): void {
  accountSuspensionRoute(app, services, {
    action: "suspend",
    operationId: "adminSuspendAccount",
    summary:
      "Support: suspend an account: every key of it gets 401 at once, credential statuses stay as they are (idempotent)",
    logMessage: "account suspended",
    change: (account, context, input) => services.accounts.suspend(account, context, input),
  });
}
