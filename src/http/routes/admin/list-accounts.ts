import { Type } from "typebox";
import { presentAccount } from "../../presenters.ts";
import { AccountSchema } from "../../schemas/account.ts";
import { errorResponses, PageQuery } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";

export function listAccounts(app: App, services: AppServices): void {
  app.get(
    "/admin/v1/accounts",
    {
      schema: {
        operationId: "adminListAccounts",
        tags: ["Operator"],
        summary: "All accounts, newest first",
        security: [{ operatorToken: [] }],
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({
            accounts: Type.Array(AccountSchema),
            next_page_token: Type.Optional(Type.String()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const page = await services.accounts.listAll({
        pageSize: request.query.page_size ?? 50,
        pageToken: request.query.page_token,
      });
      return {
        accounts: page.items.map(presentAccount),
        ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
      };
    },
  );
}
