import { Type } from "typebox";
import { credentialListRequest } from "../../credential-list.ts";
import { presentCredentialPage } from "../../presenters.ts";
import { AccountIdParam, errorResponses, PageQuery } from "../../schemas/common.ts";
import { CredentialPageSchema, CredentialStatusFilter } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { accountOf } from "./account-of.ts";

export function adminListCredentials(app: App, services: AppServices): void {
  app.get(
    "/admin/v1/accounts/:account_id/credentials",
    {
      schema: {
        operationId: "adminListCredentials",
        tags: ["Operator"],
        summary:
          "Support: every credential of an account, newest first, in every status (DELETED ones still stored too)",
        security: [{ operatorToken: [] }],
        params: AccountIdParam,
        querystring: Type.Object(
          { ...PageQuery, status: CredentialStatusFilter },
          { additionalProperties: false },
        ),
        response: { 200: CredentialPageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const account = await accountOf(services, request.params.account_id);
      const { filters, page } = credentialListRequest(request.query);
      return presentCredentialPage(await services.credentials.listAllForOperator(account, filters, page));
    },
  );
}
