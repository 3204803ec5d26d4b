import type { App, AppServices } from "../../types.ts";
import { accountSuspensionRoute } from "./account-suspension.ts";

export function resumeAccount(app: App, services: AppServices): void {
  accountSuspensionRoute(app, services, {
    action: "resume",
    operationId: "adminResumeAccount",
    summary: "Support: end a suspension: the keys that were ACTIVE work again (idempotent)",
    logMessage: "account resumed",
    change: (account, context, input) => services.accounts.resume(account, context, input),
  });
}
