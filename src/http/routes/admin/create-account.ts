import { Type } from "typebox";
import { presentAccount } from "../../presenters.ts";
import { ACCOUNT_NAME_SCHEMA, AccountObject } from "../../schemas/account.ts";
import { EnvironmentSchema, errorResponses, Timestamp } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorContext } from "./operator.ts";

export function createAccount(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/accounts",
    {
      schema: {
        operationId: "adminCreateAccount",
        tags: ["Operator"],
        summary: "Create an Acquiring Partner account and its one-time onboarding link",
        security: [{ operatorToken: [] }],
        body: Type.Object(
          { name: ACCOUNT_NAME_SCHEMA, environment: Type.Optional(EnvironmentSchema) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...AccountObject.properties,
            onboarding_url: Type.String({ description: "One-time link; send it to the partner securely" }),
            expires_at: Timestamp,
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { account, link } = await services.accounts.createAcquiringPartner(operatorContext(request), {
        name: request.body.name,
        environment: request.body.environment ?? "LIVE",
      });
      return reply.code(201).send({
        ...presentAccount(account),
        onboarding_url: link.url,
        expires_at: link.expiresAt.toISOString(),
      });
    },
  );
}
