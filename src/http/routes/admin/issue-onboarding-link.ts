import { Type } from "typebox";
import { AccountIdParam, errorResponses, Timestamp } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorContext } from "./operator.ts";

export function issueOnboardingLink(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/accounts/:account_id/onboarding-link",
    {
      schema: {
        operationId: "adminIssueOnboardingLink",
        tags: ["Operator"],
        summary: "Re-issue the one-time onboarding link; earlier unclaimed links stop working",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        response: {
          201: Type.Object({
            account_id: Type.String(),
            onboarding_url: Type.String(),
            expires_at: Timestamp,
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const issued = await services.onboarding.reissue(request.params.account_id, operatorContext(request));
      return reply.code(201).send({
        account_id: request.params.account_id,
        onboarding_url: issued.url,
        expires_at: issued.expiresAt.toISOString(),
      });
    },
  );
}
