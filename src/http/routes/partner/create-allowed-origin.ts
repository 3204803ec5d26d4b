import { Type } from "typebox";
import { presentOrigin } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { AllowedOriginSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function createAllowedOrigin(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/allowed-origins`,
      {
        schema: {
          operationId: scope.operationId("createAllowedOrigin"),
          tags: [scope.tag],
          summary: "Register a web origin for the account's Client IDs (host[:port], no scheme)",
          description:
            "localhost means http, everything else https; *.example.com covers subdomains only; a bare * only " +
            "for test accounts. At most 100. A duplicate is 409 naming the existing origin_id.",
          params: scope.params({}),
          body: Type.Object({ origin: Type.String({ maxLength: 300 }) }, { additionalProperties: false }),
          response: { 200: AllowedOriginSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        const origin = await services.origins.create(account, contextOf(request), request.body.origin);
        return reply.code(200).send(presentOrigin(origin));
      },
    );
  }
}
