import { Type } from "typebox";
import { CREDENTIAL_TYPES } from "../../../domain/types.ts";
import { listPartnerCredentials } from "../../credential-list.ts";
import { errorResponses, PageQuery } from "../../schemas/common.ts";
import { CredentialListFilters, CredentialPageSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES } from "./scopes.ts";

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
            { type: Type.Optional(Type.Enum(CREDENTIAL_TYPES)), ...CredentialListFilters, ...PageQuery },
            { additionalProperties: false },
          ),
          response: { 200: CredentialPageSchema, ...errorResponses },
        },
      },
      async (request, reply) => listPartnerCredentials(services, request, reply, request.query),
    );
  }
}
