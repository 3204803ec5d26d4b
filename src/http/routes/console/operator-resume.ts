import type { App, AppServices } from "../../types.ts";
import { operatorSuspensionRoute } from "./operator-suspension.ts";

/** `POST /console/operator/accounts/:account_id/resume`: the account's active keys work again. */
export function operatorResume(app: App, services: AppServices): void {
  operatorSuspensionRoute(app, services, {
    action: "resume",
    done: "resumed",
    change: (account, context, input) => services.accounts.resume(account, context, input),
  });
}
