import type { FastifyRequest } from "fastify";
import type { Static } from "typebox";
import type { IpEnforcementMode } from "../domain/ip-allow-list.ts";
import { partnerOf } from "./plugins/partner-auth.ts";
import { presentIpRestriction } from "./presenters.ts";
import { type AccountScope, contextOf, targetAccount } from "./routes/partner/scopes.ts";
import { errorResponses } from "./schemas/common.ts";
import { IpRestrictionSchema } from "./schemas/security.ts";
import type { App, AppServices } from "./types.ts";

/*
 * The IP allow-list as partners read and change it: v1 (`…/ip-restriction`, GET and PUT) and v2
 * (`…/integration/inbound-restriction/ip`, GET and PATCH) are the same operations at other paths.
 */

/** How both writes (v1 PUT, v2 PATCH) keep the caller from locking itself out. */
export const IP_LOCK_OUT_DESCRIPTION =
  "Moving your own account to ENFORCED is refused when your current address is not in the list, unless force is true.";

/** `GET {prefix}{path}` in each scope: the account's IP allow-list and its enforcement mode. */
export function ipRestrictionReadRoutes(app: App, scopes: readonly AccountScope[], path: string): void {
  for (const scope of scopes) {
    app.get(
      `${scope.prefix}${path}`,
      {
        schema: {
          operationId: scope.operationId("getIpRestriction"),
          tags: [scope.tag],
          summary: "The account's IP allow-list and its enforcement mode",
          params: scope.params({}),
          response: { 200: IpRestrictionSchema, ...errorResponses },
        },
      },
      async (request) => presentIpRestriction(targetAccount(request)),
    );
  }
}

/**
 * Writes the allow-list of the request's account on the caller's behalf (the service forces a
 * change to a Partner Account it manages: only the caller's own account can lock it out).
 */
export async function changeIpRestriction(
  services: AppServices,
  request: FastifyRequest,
  change: { mode: IpEnforcementMode; allowedIps: string[]; force: boolean },
): Promise<Static<typeof IpRestrictionSchema>> {
  const account = targetAccount(request);
  const partner = partnerOf(request);
  const updated = await services.security.setIpRestriction(
    account,
    contextOf(request),
    { accountId: partner.account.accountId, sourceIp: partner.sourceIp, presentedCertificate: null },
    change,
  );
  return presentIpRestriction(updated);
}
