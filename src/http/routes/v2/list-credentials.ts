import { Type } from "typebox";
import { listPartnerCredentials } from "../../credential-list.ts";
import { errorResponses, PageQuery } from "../../schemas/common.ts";
import { CredentialListFilters, CredentialPageSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { V2_ACCOUNT_SCOPES, V2_CREDENTIAL_KINDS } from "../partner/scopes.ts";

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
              { ...CredentialListFilters, ...PageQuery },
              { additionalProperties: false },
            ),
            response: { 200: CredentialPageSchema, ...errorResponses },
          },
        },
        async (request, reply) =>
          listPartnerCredentials(services, request, reply, { ...request.query, type: kind.type }),
      );
    }
  }
}
