import { Type } from "typebox";
import { CREDENTIAL_TYPES } from "../../../domain/types.ts";
import { presentCredential } from "../../presenters.ts";
import { EnvironmentSchema, errorResponses } from "../../schemas/common.ts";
import { CreatedCredentialSchema, DESCRIPTION_SCHEMA } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function createCredential(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/credentials`,
      {
        schema: {
          operationId: scope.operationId("createCredential"),
          tags: [scope.tag],
          summary: "Create an API key or Client ID",
          description: "The API key appears in this response only; store it in your secret manager.",
          params: scope.params({}),
          body: Type.Object(
            {
              type: Type.Enum(CREDENTIAL_TYPES),
              environment: EnvironmentSchema,
              description: Type.Optional(DESCRIPTION_SCHEMA),
              permissions: Type.Optional(
                Type.Array(Type.String({ maxLength: 64 }), {
                  maxItems: 32,
                  description:
                    "credentials:read, credentials:write, security:write, accounts:write, and rate-limit categories of the provider's APIs (e.g. payments); absent: everything. Never more than the creating key holds.",
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: CreatedCredentialSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        const created = await services.credentials.create(account, contextOf(request), {
          type: request.body.type,
          environment: request.body.environment,
          description: request.body.description ?? "",
          permissions: request.body.permissions,
        });
        return reply.code(200).send({
          ...presentCredential(created.credential),
          ...(created.apiKey ? { api_key: created.apiKey } : {}),
        });
      },
    );
  }
}
