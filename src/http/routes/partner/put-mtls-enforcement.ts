import { Type } from "typebox";
import { presentMtlsEnforcement } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { MtlsEnforcementSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function putMtlsEnforcement(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.put(
      `${scope.prefix}/mtls-enforcement`,
      {
        schema: {
          operationId: scope.operationId("putMtlsEnforcement"),
          tags: [scope.tag],
          summary: "Enforce client certificates from NOW or a time at most 3 months ahead",
          description: "Refused while the account has no valid client certificate.",
          params: scope.params({}),
          body: Type.Object(
            { enforced_from: Type.String({ maxLength: 40, description: '"NOW" or an ISO 8601 instant' }) },
            { additionalProperties: false },
          ),
          response: { 200: MtlsEnforcementSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = await targetAccount(request, services.accounts);
        const updated = await services.security.enforceMtls(
          account,
          contextOf(request),
          request.body.enforced_from,
        );
        return presentMtlsEnforcement(updated, services.now());
      },
    );
  }
}
