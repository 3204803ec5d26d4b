import { Type } from "typebox";
import { notFound } from "../../../domain/errors.ts";
import {
  AccountSuspensionSchema,
  presentSuspension,
  SUSPENSION_REASON_SCHEMA,
} from "../../schemas/admin-account.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorContext } from "./operator.ts";

export function resumeAccount(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/accounts/:account_id/resume",
    {
      schema: {
        operationId: "adminResumeAccount",
        tags: ["Operator"],
        summary: "Support: end a suspension: the keys that were ACTIVE work again (idempotent)",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        body: Type.Optional(
          Type.Object({ reason: Type.Optional(SUSPENSION_REASON_SCHEMA) }, { additionalProperties: false }),
        ),
        response: { 200: AccountSuspensionSchema, ...errorResponses },
      },
      // The body is optional: a bare POST resumes without a reason.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => {
      const account = await services.accounts.get(request.params.account_id);
      if (!account) throw notFound("Account");
      const outcome = await services.accounts.resume(account, operatorContext(request), {
        reason: request.body?.reason ?? null,
      });
      request.log.info({ account_id: account.accountId, changed: outcome.changed }, "account resumed");
      return presentSuspension(outcome.account, outcome.changed);
    },
  );
}
