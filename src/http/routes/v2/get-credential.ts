import { sendJsonText } from "../../json-text.ts";
import { credentialJson } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam, CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { contextOf, targetAccount, V2_ACCOUNT_SCOPES, V2_CREDENTIAL_KINDS } from "../partner/scopes.ts";

/** `GET …/integration/credentials/{api-key|client-identifier}/{credential_id}`. */
export function getCredentialV2(app: App, services: AppServices): void {
  for (const scope of V2_ACCOUNT_SCOPES) {
    for (const kind of V2_CREDENTIAL_KINDS) {
      app.get(
        `${scope.prefix}/credentials/${kind.segment}/:credential_id`,
        {
          schema: {
            operationId: scope.operationId(`get${kind.name}`),
            tags: [scope.tag],
            summary: `Get one ${kind.label}`,
            params: scope.params(CredentialIdParam),
            response: { 200: CredentialSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const credential = await services.credentials.view(
            targetAccount(request),
            request.params.credential_id,
            contextOf(request).environments,
            kind.type,
          );
          return sendJsonText(reply, credentialJson(credential));
        },
      );
    }
  }
}
