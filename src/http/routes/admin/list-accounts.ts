import { Type } from "typebox";
import { nextPageField, pageRequest } from "../../paging.ts";
import { presentAccount } from "../../presenters.ts";
import { AccountObject } from "../../schemas/account.ts";
import { errorResponses, NextPageToken, PageQuery } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";

export function listAccounts(
  app: App,
  services: AppServices,
  options: { mtlsRequiredFor: "none" | "acquiring_partners" },
): void {
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
            accounts: Type.Array(
              Type.Object({
                ...AccountObject.properties,
                mtls_enforcement_missing: Type.Boolean({
                  description: "MTLS_REQUIRED_FOR names this account, and it has not enforced mTLS yet",
                }),
              }),
            ),
            ...NextPageToken,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const page = await services.accounts.listAll(pageRequest(request.query));
      return {
        accounts: page.items.map((account) => ({
          ...presentAccount(account),
          mtls_enforcement_missing:
            options.mtlsRequiredFor === "acquiring_partners" &&
            account.kind === "ACQUIRING_PARTNER" &&
            account.security.mtlsEnforcedFrom === null,
        })),
        ...nextPageField(page),
      };
    },
  );
}
