import { Type } from "typebox";
import { presentOrigin } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { AllowedOriginSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, targetAccount } from "./scopes.ts";

export function listAllowedOrigins(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/allowed-origins`,
      {
        schema: {
          operationId: scope.operationId("listAllowedOrigins"),
          tags: [scope.tag],
          summary: "The account's allowed web origins, alphabetically",
          params: scope.params({}),
          response: {
            200: Type.Object({ allowed_origins: Type.Array(AllowedOriginSchema) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        return { allowed_origins: (await services.origins.list(account)).map(presentOrigin) };
      },
    );
  }
}
