import { presentAccount } from "../../presenters.ts";
import { AccountSchema } from "../../schemas/account.ts";
import { errorResponses } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, targetAccount } from "./scopes.ts";

export function getAccount(app: App, _services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      scope.prefix,
      {
        schema: {
          operationId: scope.operationId("getAccount"),
          tags: [scope.tag],
          summary: "The account itself",
          params: scope.params({}),
          response: { 200: AccountSchema, ...errorResponses },
        },
      },
      async (request) => presentAccount(targetAccount(request)),
    );
  }
}
