import { newKeyPage } from "../../console/views/keys-page.ts";
import { consoleAccount, consoleContext } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams, accountPath, attemptForm, formRoute } from "./account-common.ts";
import { sendKeysPage } from "./account-keys.ts";
import { enteredCredential, NewCredentialBody, newCredential } from "./account-new-credential.ts";
import { sendPage } from "./console-pages.ts";

/** The brand of a key is its first segment (`<brand>_<env>_api_…`): the downloaded file is named after it. */
export function brandOfKey(apiKey: string): string {
  return apiKey.split("_", 1)[0] ?? "api";
}

/**
 * `POST /console/accounts/:account_id/keys`: generates an API key through the same service call as
 * `POST /v1/account/credentials`, and shows it this once.
 */
export function accountGenerateKey(app: App, services: AppServices): void {
  app.post(
    "/console/accounts/:account_id/keys",
    formRoute("credentials", { params: AccountParams, body: NewCredentialBody }),
    async (request, reply) => {
      const account = await consoleAccount(request);
      const entered = enteredCredential(request);
      const created = await attemptForm(request, "generate", () =>
        services.credentials.create(account, consoleContext(request), newCredential("API", request.body)),
      );
      if (!created.ok)
        return sendKeysPage(request, reply, services, account, { problem: created.problem, entered });
      const { credential, apiKey } = created.value;
      if (apiKey === null) throw new Error("An API key was created without its key");
      const body = newKeyPage({
        base: accountPath(account.accountId, ""),
        accountId: account.accountId,
        credential,
        apiKey,
        brand: brandOfKey(apiKey),
      });
      return sendPage(request, reply, { title: "New API key", account, section: "keys", body });
    },
  );
}
