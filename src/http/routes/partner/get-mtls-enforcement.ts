import { presentMtlsEnforcement } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { MtlsEnforcementSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, targetAccount } from "./scopes.ts";

export function getMtlsEnforcement(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/mtls-enforcement`,
      {
        schema: {
          operationId: scope.operationId("getMtlsEnforcement"),
          tags: [scope.tag],
          summary: "Whether client certificates are enforced, and from when",
          params: scope.params({}),
          response: { 200: MtlsEnforcementSchema, ...errorResponses },
        },
      },
      async (request) => presentMtlsEnforcement(targetAccount(request), services.now()),
    );
  }
}
