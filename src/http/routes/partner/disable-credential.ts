import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function disableCredential(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.delete(
      `${scope.prefix}/credentials/:credential_id`,
      {
        schema: {
          operationId: scope.operationId("disableCredential"),
          tags: [scope.tag],
          summary: "Disable a credential (it can be reactivated with enable)",
          params: scope.params(CredentialIdParam),
          response: { 204: Type.Null({ description: "Disabled" }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        await services.credentials.disable(
          account,
          contextOf(request),
          request.params.credential_id,
          "PARTNER",
        );
        return reply.code(204).send(null);
      },
    );
  }
}
