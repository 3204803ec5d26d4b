import { ipRestrictionReadRoutes } from "../../ip-restriction.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES } from "./scopes.ts";

export function getIpRestriction(app: App, _services: AppServices): void {
  ipRestrictionReadRoutes(app, ACCOUNT_SCOPES, "/ip-restriction");
}
