import { Type } from "typebox";
import { presentCertificate } from "../../presenters.ts";
import { errorResponses, PageQuery } from "../../schemas/common.ts";
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
              next_page_token: Type.Optional(Type.String()),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const page = await services.security.listCertificates(account, {
          pageSize: request.query.page_size ?? 50,
          pageToken: request.query.page_token,
        });
        const now = services.now();
        return {
          client_certificates: page.items.map((c) => presentCertificate(c, now)),
          ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
        };
      },
    );
  }
}
