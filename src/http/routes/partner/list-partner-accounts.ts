import { Type } from "typebox";
import { presentAccount } from "../../presenters.ts";
import { AccountSchema } from "../../schemas/account.ts";
import { errorResponses, PageQuery } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { contextOf, targetAccount } from "./scopes.ts";

export function listPartnerAccounts(app: App, services: AppServices): void {
  app.get(
    "/v1/accounts",
    {
      schema: {
        operationId: "listPartnerAccounts",
        tags: ["Partner Accounts"],
        summary: "The Partner Accounts of the calling Acquiring Partner, newest first",
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
      const page = await services.accounts.listPartnerAccounts(
        targetAccount(request),
        { pageSize: request.query.page_size ?? 50, pageToken: request.query.page_token },
        contextOf(request).environments,
      );
      return {
        accounts: page.items.map(presentAccount),
        ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
      };
    },
  );
}
