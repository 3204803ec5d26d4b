import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { OriginIdParam } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function deleteAllowedOrigin(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.delete(
      `${scope.prefix}/allowed-origins/:origin_id`,
      {
        schema: {
          operationId: scope.operationId("deleteAllowedOrigin"),
          tags: [scope.tag],
          summary: "Remove an allowed origin (204)",
          params: scope.params(OriginIdParam),
          response: { 204: Type.Null({ description: "Removed" }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        await services.origins.delete(account, contextOf(request), request.params.origin_id);
        return reply.code(204).send(null);
      },
    );
  }
}
