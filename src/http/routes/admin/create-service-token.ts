import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { presentServiceToken, ServiceTokenSchema } from "../../schemas/service-token.ts";
import type { App, AppServices } from "../../types.ts";

export function createServiceToken(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/service-tokens",
    {
      schema: {
        operationId: "adminCreateServiceToken",
        tags: ["Operator"],
        summary: "A token for one of the provider's services to call /internal/*; shown once",
        security: [{ operatorToken: [] }],
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 64 }) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([ServiceTokenSchema, Type.Object({ token: Type.String() })]),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { serviceToken, token } = await services.serviceTokens.create(request.body.name);
      request.log.info({ service_token_id: serviceToken.serviceTokenId }, "service token created");
      return reply.code(201).send({ ...presentServiceToken(serviceToken), token });
    },
  );
}
