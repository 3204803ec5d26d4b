import { presentCredential } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam, CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function enableCredential(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/credentials/:credential_id/enable`,
      {
        schema: {
          operationId: scope.operationId("enableCredential"),
          tags: [scope.tag],
          summary: "Reactivate a disabled credential",
          params: scope.params(CredentialIdParam),
          response: { 200: CredentialSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        return presentCredential(
          await services.credentials.enable(account, contextOf(request), request.params.credential_id),
        );
      },
    );
  }
}
