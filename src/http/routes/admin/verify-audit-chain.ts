import { Type } from "typebox";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { accountOf } from "./account-of.ts";

export function verifyAuditChain(app: App, services: AppServices): void {
  app.get(
    "/admin/v1/accounts/:account_id/audit-chain",
    {
      schema: {
        operationId: "adminVerifyAuditChain",
        tags: ["Operator"],
        summary: "Check the account's audit trail: each event carries the hash of the one before",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        response: {
          200: Type.Object({
            account_id: Type.String(),
            intact: Type.Boolean(),
            checked: Type.Integer({ description: "Events that follow from their predecessors" }),
            first_break: Type.Optional(
              Type.Object({ seq: Type.Integer(), event_id: Type.String(), problem: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { accountId } = await accountOf(services, request.params.account_id);
      const check = await services.audit.verifyChain(accountId);
      return {
        account_id: accountId,
        intact: check.intact,
        checked: check.checked,
        ...(check.intact
          ? {}
          : {
              first_break: {
                seq: check.firstBreak.seq,
                event_id: check.firstBreak.eventId,
                problem: check.firstBreak.problem,
              },
            }),
      };
    },
  );
}
