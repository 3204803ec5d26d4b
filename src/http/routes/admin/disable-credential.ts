import { Type } from "typebox";
import { notFound } from "../../../domain/errors.ts";
import { presentCredential } from "../../presenters.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam, CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorContext } from "./operator.ts";

export function adminDisableCredential(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/accounts/:account_id/credentials/:credential_id/disable",
    {
      schema: {
        operationId: "adminDisableCredential",
        tags: ["Operator"],
        summary: "Support: disable a credential (reason OPERATOR), e.g. after a leak report",
        security: [{ operatorToken: [] }],
        params: Type.Object({ ...AccountIdParam.properties, ...CredentialIdParam }),
        response: { 200: CredentialSchema, ...errorResponses },
      },
    },
    async (request) => {
      const account = await services.accounts.get(request.params.account_id);
      if (!account) throw notFound("Account");
      const context = operatorContext(request);
      const credential = await services.credentials.disable(
        account,
        context,
        request.params.credential_id,
        "OPERATOR",
      );
      return presentCredential(credential);
    },
  );
}
