import { Type } from "typebox";
import type { Account, Credential } from "../../../domain/types.ts";
import type { RequestContext } from "../../../services/runtime.ts";
import { presentCredential } from "../../presenters.ts";
import { AccountIdParam, errorResponses } from "../../schemas/common.ts";
import { CredentialIdParam, CredentialSchema } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { accountOf } from "./account-of.ts";
import { operatorContext } from "./operator.ts";

/** One of support's two credential status changes: `enable` or `disable`. */
export interface CredentialStatusChange {
  action: "enable" | "disable";
  operationId: string;
  summary: string;
  change(account: Account, context: RequestContext, credentialId: string): Promise<Credential>;
}

/**
 * `POST /admin/v1/accounts/{account_id}/credentials/{credential_id}/{enable|disable}`: the
 * credential of the named account, changed by the operator, answered with its new state.
 */
export function credentialStatusRoute(app: App, services: AppServices, status: CredentialStatusChange): void {
  app.post(
    `/admin/v1/accounts/:account_id/credentials/:credential_id/${status.action}`,
    {
      schema: {
        operationId: status.operationId,
        tags: ["Operator"],
        summary: status.summary,
        security: [{ operatorToken: [] }],
        params: Type.Object({ ...AccountIdParam.properties, ...CredentialIdParam }),
        response: { 200: CredentialSchema, ...errorResponses },
      },
    },
    async (request) => {
      const account = await accountOf(services, request.params.account_id);
      const credential = await status.change(account, operatorContext(request), request.params.credential_id);
      return presentCredential(credential);
    },
  );
}
