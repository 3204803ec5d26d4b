import { Type } from "typebox";
import { enteredText } from "../../console/forms.ts";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { DESCRIPTION_SCHEMA } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { sendSecurityPage } from "./account-security.ts";
import { seeOther } from "./console-pages.ts";

/**
 * `POST /console/accounts/:account_id/security/certificates`: signs the pasted CSR (`csr`) through
 * the same service call as `POST /v1/account/client-certificates`.
 */
export function accountIssueCertificate(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/security/certificates",
    formRoute("security", {
      params: AccountParams,
      body: formBody({
        description: Type.Optional(DESCRIPTION_SCHEMA),
        csr: Type.String({ maxLength: 16_384 }),
      }),
    }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const result = await attemptForm(request, "issue", () =>
        services.security.issueCertificate(account, consoleContext(request), {
          description: request.body.description ?? "",
          csrPem: request.body.csr,
        }),
      );
      if (!result.ok) {
        return sendSecurityPage(request, reply, services, account, {
          problem: result.problem,
          entered: { description: enteredText(request, "description"), csr: enteredText(request, "csr") },
        });
      }
      return seeOther(reply, accountPath(account.accountId, "security"), "issued");
    },
  );
}
