import { Type } from "typebox";
import { nextPageField, pageRequest } from "../../paging.ts";
import { presentAccount } from "../../presenters.ts";
import { AccountSchema } from "../../schemas/account.ts";
import { errorResponses, NextPageToken, PageQuery } from "../../schemas/common.ts";
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
            ...NextPageToken,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const page = await services.accounts.listPartnerAccounts(
        targetAccount(request),
        pageRequest(request.query),
        contextOf(request).environments,
      );
      return {
        accounts: page.items.map(presentAccount),
        ...nextPageField(page),
      };
    },
  );
}
