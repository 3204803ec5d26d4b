import { Type } from "typebox";
import { changeIpRestriction, IP_LOCK_OUT_DESCRIPTION } from "../../ip-restriction.ts";
import { errorResponses } from "../../schemas/common.ts";
import { IpRestrictionObject, IpRestrictionSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES } from "./scopes.ts";

export function putIpRestriction(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.put(
      `${scope.prefix}/ip-restriction`,
      {
        schema: {
          operationId: scope.operationId("putIpRestriction"),
          tags: [scope.tag],
          summary: "Set the IP allow-list: NOT_ENABLED, REPORTING (header only) or ENFORCED (403 elsewhere)",
          description: IP_LOCK_OUT_DESCRIPTION,
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
      async (request) =>
        changeIpRestriction(services, request, {
          mode: request.body.enforcement_mode,
          allowedIps: request.body.allowed_ips,
          force: request.body.force ?? false,
        }),
    );
  }
}
