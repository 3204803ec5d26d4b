import { presentIpRestriction } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { IpRestrictionSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, targetAccount } from "./scopes.ts";

export function getIpRestriction(app: App, _services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/ip-restriction`,
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
