import { presentIpRestriction } from "../../presenters.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import { IpRestrictionSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { accountOf } from "./account-of.ts";
import { operatorContext } from "./operator.ts";

export function adminResetIpRestriction(app: App, services: AppServices): void {
  app.delete(
    "/admin/v1/accounts/:account_id/ip-restriction",
    {
      schema: {
        operationId: "adminResetIpRestriction",
        tags: ["Operator"],
        summary:
          "Support: reset the IP allow-list to NOT_ENABLED with no addresses, e.g. after the partner locked itself out",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        response: { 200: IpRestrictionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const account = await accountOf(services, request.params.account_id);
      return presentIpRestriction(
        await services.security.resetIpRestriction(account, operatorContext(request)),
      );
    },
  );
}
