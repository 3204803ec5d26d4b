import { sendJsonText } from "../../json-text.ts";
import { credentialJson } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam, CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function getCredential(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/credentials/:credential_id`,
      {
        schema: {
          operationId: scope.operationId("getCredential"),
          tags: [scope.tag],
          summary: "Get one credential",
          params: scope.params(CredentialIdParam),
          response: { 200: CredentialSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const credential = await services.credentials.view(
          targetAccount(request),
          request.params.credential_id,
          contextOf(request).environments,
        );
        return sendJsonText(reply, credentialJson(credential));
      },
    );
  }
}
