import { ipRestrictionReadRoutes } from "../../ip-restriction.ts";
import type { App, AppServices } from "../../types.ts";
import { V2_ACCOUNT_SCOPES } from "../partner/scopes.ts";

/** `GET …/integration/inbound-restriction/ip`. */
export function getIpRestrictionV2(app: App, _services: AppServices): void {
  ipRestrictionReadRoutes(app, V2_ACCOUNT_SCOPES, "/inbound-restriction/ip");
}
