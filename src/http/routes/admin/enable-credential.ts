import { Type } from "typebox";
import { notFound } from "../../../domain/errors.ts";
import { presentCredential } from "../../presenters.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam, CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { operatorContext } from "./operator.ts";

export function adminEnableCredential(app: App, services: AppServices): void {
  app.post(
    "/admin/v1/accounts/:account_id/credentials/:credential_id/enable",
    {
      schema: {
        operationId: "adminEnableCredential",
        tags: ["Operator"],
        summary:
          "Support: reactivate a disabled credential (any reason but deletion) and restart its inactivity clock",
        security: [{ operatorToken: [] }],
        params: Type.Object({ ...AccountIdParam.properties, ...CredentialIdParam }),
        response: { 200: CredentialSchema, ...errorResponses },
      },
    },
    async (request) => {
      const account = await services.accounts.get(request.params.account_id);
      if (!account) throw notFound("Account");
      const context = operatorContext(request);
      return presentCredential(
        await services.credentials.enable(account, context, request.params.credential_id),
      );
    },
  );
}
