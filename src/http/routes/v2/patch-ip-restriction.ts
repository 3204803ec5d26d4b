import { Type } from "typebox";
import { changeIpRestriction, IP_LOCK_OUT_DESCRIPTION } from "../../ip-restriction.ts";
import { errorResponses } from "../../schemas/common.ts";
import { IpRestrictionObject, IpRestrictionSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { targetAccount, V2_ACCOUNT_SCOPES } from "../partner/scopes.ts";

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
          description: IP_LOCK_OUT_DESCRIPTION,
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
        const current = targetAccount(request).security.ipRestriction;
        return changeIpRestriction(services, request, {
          mode: request.body.enforcement_mode ?? current.mode,
          allowedIps: request.body.allowed_ips ?? [...current.allowedIps],
          force: request.body.force ?? false,
        });
      },
    );
  }
}
