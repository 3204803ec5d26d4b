import { Type } from "typebox";
import { CREDENTIAL_STATUSES } from "../../../domain/types.ts";
import { presentCredential } from "../../presenters.ts";
import { EnvironmentSchema, errorResponses, PageQuery } from "../../schemas/common.ts";
import { CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { contextOf, targetAccount, V2_ACCOUNT_SCOPES, V2_CREDENTIAL_KINDS } from "../partner/scopes.ts";

/** `GET …/integration/credentials/{api-key|client-identifier}`: the v1 list of one type. */
export function listCredentialsV2(app: App, services: AppServices): void {
  for (const scope of V2_ACCOUNT_SCOPES) {
    for (const kind of V2_CREDENTIAL_KINDS) {
      app.get(
        `${scope.prefix}/credentials/${kind.segment}`,
        {
          schema: {
            operationId: scope.operationId(`list${kind.name}s`),
            tags: [scope.tag],
            summary: `List ${kind.label}s, newest first (never any secret)`,
            params: scope.params({}),
            querystring: Type.Object(
              {
                environment: Type.Optional(EnvironmentSchema),
                status: Type.Optional(Type.Enum(CREDENTIAL_STATUSES)),
                ...PageQuery,
              },
              { additionalProperties: false },
            ),
            response: {
              200: Type.Object({
                credentials: Type.Array(CredentialSchema),
                next_page_token: Type.Optional(Type.String()),
              }),
              ...errorResponses,
            },
          },
        },
        async (request) => {
          const { environment, status, page_size, page_token } = request.query;
          const page = await services.credentials.list(
            targetAccount(request),
            { type: kind.type, environment, status },
            { pageSize: page_size ?? 50, pageToken: page_token },
            contextOf(request).environments,
          );
          return {
            credentials: page.items.map(presentCredential),
            ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
          };
        },
      );
    }
  }
}
