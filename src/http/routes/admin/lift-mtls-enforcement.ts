import { presentMtlsEnforcement } from "../../presenters.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import { MtlsEnforcementSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { accountOf } from "./account-of.ts";
import { operatorContext } from "./operator.ts";

export function adminLiftMtlsEnforcement(app: App, services: AppServices): void {
  app.delete(
    "/admin/v1/accounts/:account_id/mtls-enforcement",
    {
      schema: {
        operationId: "adminLiftMtlsEnforcement",
        tags: ["Operator"],
        summary:
          "Support: lift mTLS enforcement (enforced or scheduled) without a certificate, e.g. after the partner lost its last one; certificates stay",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        response: { 200: MtlsEnforcementSchema, ...errorResponses },
      },
    },
    async (request) => {
      const account = await accountOf(services, request.params.account_id);
      const updated = await services.security.liftMtlsForOperator(account, operatorContext(request));
      return presentMtlsEnforcement(updated, services.now());
    },
  );
}
