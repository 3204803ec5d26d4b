import { Type } from "typebox";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { CertificateIdParam } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendSecurityPage } from "./account-security.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/security/certificates/:certificate_id/revoke`: the same
 * service call as `DELETE /v1/account/client-certificates/{id}`; the lock-out guard refuses the
 * last valid certificate of an account that enforces mTLS unless `force` is sent ("Revoke anyway").
 */
export function accountRevokeCertificate(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/security/certificates/:certificate_id/revoke",
    formRoute("security", {
      params: accountParamsWith(CertificateIdParam),
      body: formBody({ force: Type.Optional(Type.Literal("true")) }),
    }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const id = request.params.certificate_id;
      const form = `revoke:${id}`;
      const result = await attemptForm(request, form, () =>
        services.security.revokeCertificate(account, consoleContext(request), id, {
          force: request.body.force === "true",
        }),
      );
      if (!result.ok) return sendSecurityPage(request, reply, services, account, { problem: result.problem });
      return seeOther(reply, accountPath(account.accountId, "security"), "revoked");
    },
  );
}
