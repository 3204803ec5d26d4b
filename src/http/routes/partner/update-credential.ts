import { Type } from "typebox";
import { presentCredential } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam, CredentialSchema, DESCRIPTION_SCHEMA } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function updateCredential(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.patch(
      `${scope.prefix}/credentials/:credential_id`,
      {
        schema: {
          operationId: scope.operationId("updateCredential"),
          tags: [scope.tag],
          summary: "Change a credential's description",
          params: scope.params(CredentialIdParam),
          body: Type.Object({ description: DESCRIPTION_SCHEMA }, { additionalProperties: false }),
          response: { 200: CredentialSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const updated = await services.credentials.updateDescription(
          account,
          contextOf(request),
          request.params.credential_id,
          request.body.description,
        );
        return presentCredential(updated);
      },
    );
  }
}
