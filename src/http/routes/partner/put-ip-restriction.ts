import { Type } from "typebox";
import { partnerOf } from "../../plugins/partner-auth.ts";
import { presentIpRestriction } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { IpRestrictionObject, IpRestrictionSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function putIpRestriction(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.put(
      `${scope.prefix}/ip-restriction`,
      {
        schema: {
          operationId: scope.operationId("putIpRestriction"),
          tags: [scope.tag],
          summary: "Set the IP allow-list: NOT_ENABLED, REPORTING (header only) or ENFORCED (403 elsewhere)",
          description:
            "Moving your own account to ENFORCED is refused when your current address is not in the list, unless force is true.",
          params: scope.params({}),
          body: Type.Object(
            {
              ...IpRestrictionObject.properties,
              force: Type.Optional(Type.Boolean({ default: false })),
            },
            { additionalProperties: false },
          ),
          response: { 200: IpRestrictionSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const own = account.accountId === partnerOf(request).account.accountId;
        const updated = await services.security.setIpRestriction(
          account,
          contextOf(request),
          { sourceIp: partnerOf(request).sourceIp, presentedCertificate: null },
          {
            mode: request.body.enforcement_mode,
            allowedIps: request.body.allowed_ips,
            // Only the caller's own account can lock the caller out.
            force: (request.body.force ?? false) || !own,
          },
        );
        return presentIpRestriction(updated);
      },
    );
  }
}
