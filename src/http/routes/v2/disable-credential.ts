import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { contextOf, targetAccount, V2_ACCOUNT_SCOPES, V2_CREDENTIAL_KINDS } from "../partner/scopes.ts";

/** `DELETE …/integration/credentials/{api-key|client-identifier}/{credential_id}`: disables it. */
export function disableCredentialV2(app: App, services: AppServices): void {
  for (const scope of V2_ACCOUNT_SCOPES) {
    for (const kind of V2_CREDENTIAL_KINDS) {
      app.delete(
        `${scope.prefix}/credentials/${kind.segment}/:credential_id`,
        {
          schema: {
            operationId: scope.operationId(`disable${kind.name}`),
            tags: [scope.tag],
            summary: `Disable a ${kind.label} (it can be reactivated)`,
            params: scope.params(CredentialIdParam),
            response: { 204: Type.Null({ description: "Disabled" }), ...errorResponses },
          },
        },
        async (request, reply) => {
          const account = targetAccount(request);
          const context = contextOf(request);
          // Only a credential of the path's type exists under it.
          await services.credentials.get(
            account,
            request.params.credential_id,
            context.environments,
            kind.type,
          );
          await services.credentials.disable(account, context, request.params.credential_id, "PARTNER");
          return reply.code(204).send(null);
        },
      );
    }
  }
}
