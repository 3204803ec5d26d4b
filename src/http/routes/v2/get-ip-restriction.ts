import { presentIpRestriction } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { IpRestrictionSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { targetAccount, V2_ACCOUNT_SCOPES } from "../partner/scopes.ts";

/** `GET …/integration/inbound-restriction/ip`. */
export function getIpRestrictionV2(app: App, _services: AppServices): void {
  for (const scope of V2_ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/inbound-restriction/ip`,
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
