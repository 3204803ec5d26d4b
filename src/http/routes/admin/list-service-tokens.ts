import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { presentServiceToken, ServiceTokenSchema } from "../../schemas/service-token.ts";
import type { App, AppServices } from "../../types.ts";

export function listServiceTokens(app: App, services: AppServices): void {
  app.get(
    "/admin/v1/service-tokens",
    {
      schema: {
        operationId: "adminListServiceTokens",
        tags: ["Operator"],
        summary: "Service tokens, newest first (never the tokens themselves)",
        security: [{ operatorToken: [] }],
        response: {
          200: Type.Object({ service_tokens: Type.Array(ServiceTokenSchema) }),
          ...errorResponses,
        },
      },
    },
    async () => ({ service_tokens: (await services.serviceTokens.list()).map(presentServiceToken) }),
  );
}
