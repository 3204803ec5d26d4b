import { Type } from "typebox";
import { nextPageField, pageRequest } from "../../paging.ts";
import { presentCertificate } from "../../presenters.ts";
import { errorResponses, NextPageToken, PageQuery } from "../../schemas/common.ts";
import { ClientCertificateSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, targetAccount } from "./scopes.ts";

export function listClientCertificates(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/client-certificates`,
      {
        schema: {
          operationId: scope.operationId("listClientCertificates"),
          tags: [scope.tag],
          summary: "The account's client certificates, newest first (several may be valid at once)",
          params: scope.params({}),
          querystring: Type.Object(PageQuery, { additionalProperties: false }),
          response: {
            200: Type.Object({
              client_certificates: Type.Array(ClientCertificateSchema),
              ...NextPageToken,
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const page = await services.security.listCertificates(account, pageRequest(request.query));
        const now = services.now();
        return {
          client_certificates: page.items.map((c) => presentCertificate(c, now)),
          ...nextPageField(page),
        };
      },
    );
  }
}
