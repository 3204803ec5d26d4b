import type { App, AppServices } from "../../types.ts";
import { operatorSuspensionRoute } from "./operator-suspension.ts";

/** `POST /console/operator/accounts/:account_id/suspend`: every key of the account is refused. */
export function operatorSuspend(app: App, services: AppServices): void {
  operatorSuspensionRoute(app, services, {
    action: "suspend",
    done: "suspended",
    change: (account, context, input) => services.accounts.suspend(account, context, input),
  });
}
