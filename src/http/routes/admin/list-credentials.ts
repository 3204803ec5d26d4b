import { Type } from "typebox";
import { notFound } from "../../../domain/errors.ts";
import { CREDENTIAL_STATUSES } from "../../../domain/types.ts";
import { presentCredential } from "../../presenters.ts";
import { AccountIdParam, errorResponses, PageQuery } from "../../schemas/common.ts";
import { CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";

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
          { ...PageQuery, status: Type.Optional(Type.Enum(CREDENTIAL_STATUSES)) },
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
      const account = await services.accounts.get(request.params.account_id);
      if (!account) throw notFound("Account");
      const page = await services.credentials.listAllForOperator(
        account,
        request.query.status ? { status: request.query.status } : {},
        { pageSize: request.query.page_size ?? 50, pageToken: request.query.page_token },
      );
      return {
        credentials: page.items.map(presentCredential),
        ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
      };
    },
  );
}
