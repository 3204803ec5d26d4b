import { partnerOf } from "../../plugins/partner-auth.ts";
import { presentMtlsEnforcement } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { MtlsEnforcementSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function deleteMtlsEnforcement(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.delete(
      `${scope.prefix}/mtls-enforcement`,
      {
        schema: {
          operationId: scope.operationId("deleteMtlsEnforcement"),
          tags: [scope.tag],
          summary: "Lift mTLS enforcement (once enforced, only with a valid client certificate)",
          params: scope.params({}),
          response: { 200: MtlsEnforcementSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const caller = partnerOf(request);
        // The caller proves its own certificate, also when lifting a Partner Account's enforcement.
        const updated = await services.security.liftMtls(account, contextOf(request), caller.mtlsStatus);
        return presentMtlsEnforcement(updated, services.now());
      },
    );
  }
}
