import { Type } from "typebox";
import { partnerOf } from "../../plugins/partner-auth.ts";
import { presentIpRestriction } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { IpRestrictionObject, IpRestrictionSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { contextOf, targetAccount, V2_ACCOUNT_SCOPES } from "../partner/scopes.ts";

/** `PATCH …/integration/inbound-restriction/ip`: changes the mode, the list, or both. */
export function patchIpRestrictionV2(app: App, services: AppServices): void {
  for (const scope of V2_ACCOUNT_SCOPES) {
    app.patch(
      `${scope.prefix}/inbound-restriction/ip`,
      {
        schema: {
          operationId: scope.operationId("patchIpRestriction"),
          tags: [scope.tag],
          summary: "Change the IP allow-list or its enforcement mode (fields left out stay as they are)",
          description:
            "Moving your own account to ENFORCED is refused when your current address is not in the list, unless force is true.",
          params: scope.params({}),
          body: Type.Object(
            {
              enforcement_mode: Type.Optional(IpRestrictionObject.properties.enforcement_mode),
              allowed_ips: Type.Optional(IpRestrictionObject.properties.allowed_ips),
              force: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: IpRestrictionSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const partner = partnerOf(request);
        const current = account.security.ipRestriction;
        const updated = await services.security.setIpRestriction(
          account,
          contextOf(request),
          { sourceIp: partner.sourceIp, presentedCertificate: null },
          {
            mode: request.body.enforcement_mode ?? current.mode,
            allowedIps: request.body.allowed_ips ?? [...current.allowedIps],
            // Only the caller's own account can lock the caller out.
            force: (request.body.force ?? false) || account.accountId !== partner.account.accountId,
          },
        );
        return presentIpRestriction(updated);
      },
    );
  }
}
