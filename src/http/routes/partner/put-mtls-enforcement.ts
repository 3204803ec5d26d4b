import { Type } from "typebox";
import { partnerOf } from "../../plugins/partner-auth.ts";
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
            {
              enforced_from: Type.String({ maxLength: 40, description: '"NOW" or an ISO 8601 instant' }),
              force: Type.Optional(
                Type.Boolean({
                  description: "Enforce now even though this request presents no valid certificate",
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: MtlsEnforcementSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const caller = partnerOf(request);
        const updated = await services.security.enforceMtls(account, contextOf(request), {
          enforcedFrom: request.body.enforced_from,
          callerMtls: caller.mtlsStatus,
          callerAccountId: caller.account.accountId,
          force: request.body.force ?? false,
        });
        return presentMtlsEnforcement(updated, services.now());
      },
    );
  }
}
