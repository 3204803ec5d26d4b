import { Type } from "typebox";
import { presentCredential } from "../../presenters.ts";
import { EnvironmentSchema, errorResponses } from "../../schemas/common.ts";
import { CreatedCredentialSchema, DESCRIPTION_SCHEMA } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { contextOf, targetAccount, V2_ACCOUNT_SCOPES, V2_CREDENTIAL_KINDS } from "../partner/scopes.ts";

/** `POST …/integration/credentials/{api-key|client-identifier}`: the v1 create, answering 201. */
export function createCredentialV2(app: App, services: AppServices): void {
  for (const scope of V2_ACCOUNT_SCOPES) {
    for (const kind of V2_CREDENTIAL_KINDS) {
      app.post(
        `${scope.prefix}/credentials/${kind.segment}`,
        {
          schema: {
            operationId: scope.operationId(`create${kind.name}`),
            tags: [scope.tag],
            summary: `Create a ${kind.label}`,
            description:
              kind.type === "API"
                ? "The API key appears in this response only; store it in your secret manager."
                : undefined,
            params: scope.params({}),
            body: Type.Object(
              {
                environment: EnvironmentSchema,
                description: Type.Optional(DESCRIPTION_SCHEMA),
                ...(kind.type === "API"
                  ? {
                      permissions: Type.Optional(
                        Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 }),
                      ),
                    }
                  : {}),
              },
              { additionalProperties: false },
            ),
            response: { 201: CreatedCredentialSchema, ...errorResponses },
          },
        },
        async (request, reply) => {
          const body = request.body as {
            environment: "LIVE" | "TEST";
            description?: string;
            permissions?: string[];
          };
          const created = await services.credentials.create(targetAccount(request), contextOf(request), {
            type: kind.type,
            environment: body.environment,
            description: body.description ?? "",
            permissions: body.permissions,
          });
          return reply.code(201).send({
            ...presentCredential(created.credential),
            ...(created.apiKey ? { api_key: created.apiKey } : {}),
          });
        },
      );
    }
  }
}
