import { Type } from "typebox";
import { CREDENTIAL_STATUSES, CREDENTIAL_TYPES } from "../../../domain/types.ts";
import { presentCredential } from "../../presenters.ts";
import { EnvironmentSchema, errorResponses, PageQuery } from "../../schemas/common.ts";
import { CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function listCredentials(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/credentials`,
      {
        schema: {
          operationId: scope.operationId("listCredentials"),
          tags: [scope.tag],
          summary: "List credentials, newest first (never any secret)",
          description: "Deleted credentials (tombstones) are listed only with status=DELETED.",
          params: scope.params({}),
          querystring: Type.Object(
            {
              type: Type.Optional(Type.Enum(CREDENTIAL_TYPES)),
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
        const account = targetAccount(request);
        const { type, environment, status, page_size, page_token } = request.query;
        const page = await services.credentials.list(
          account,
          { type, environment, status },
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
