import { errorResponses } from "../../schemas/common.ts";
import { presentServiceToken, ServiceTokenIdParam, ServiceTokenSchema } from "../../schemas/service-token.ts";
import type { App, AppServices } from "../../types.ts";

export function revokeServiceToken(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/service-tokens/:service_token_id/revoke",
    {
      schema: {
        operationId: "adminRevokeServiceToken",
        tags: ["Operator"],
        summary: "Revoke a service token (idempotent)",
        security: [{ operatorToken: [] }],
        params: ServiceTokenIdParam,
        response: { 200: ServiceTokenSchema, ...errorResponses },
      },
    },
    async (request) => {
      const revoked = await services.serviceTokens.revoke(request.params.service_token_id);
      request.log.info({ service_token_id: revoked.serviceTokenId }, "service token revoked");
      return presentServiceToken(revoked);
    },
  );
}
