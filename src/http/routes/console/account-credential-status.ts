import type { Account } from "../../../domain/types.ts";
import type { RequestContext } from "../../../services/runtime.ts";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import { CredentialIdParam } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith, accountPath, attemptForm, formBody, formRoute } from "./account-common.ts";
import { ReturnTo, returnPage, sendCredentialPage } from "./account-credential-page.ts";
import { seeOther } from "./console-pages.ts";

/** One of the two status changes of a credential's row (its Disable or Enable button). */
export interface CredentialStatusChange {
  action: "disable" | "enable";
  /** The notice code of the page the form came from, after the change. */
  done: "disabled" | "enabled";
  change(account: Account, context: RequestContext, credentialId: string): Promise<unknown>;
}

/**
 * `POST /console/accounts/:account_id/keys/:credential_id/{disable|enable}` (`return_to`): the
 * change, then back to the page the button was on (API keys or Client IDs), or that page again
 * with the refusal beside the button.
 */
export function credentialStatusRoute(app: App, services: AppServices, status: CredentialStatusChange): void {
  app.post(
    `/console/accounts/:account_id/keys/:credential_id/${status.action}`,
    formRoute("credentials", { params: accountParamsWith(CredentialIdParam), body: formBody(ReturnTo) }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const id = request.params.credential_id;
      const page = returnPage(request);
      const result = await attemptForm(request, `${status.action}:${id}`, () =>
        status.change(account, consoleContext(request), id),
      );
      if (!result.ok) return sendCredentialPage(page, request, reply, services, account, result.problem);
      return seeOther(reply, accountPath(account.accountId, page), status.done);
    },
  );
}
