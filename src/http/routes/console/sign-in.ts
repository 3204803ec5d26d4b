import { formField } from "../../console/forms.ts";
import { signInPage } from "../../console/views/sign-in-pages.ts";
import {
  consoleClientAddress,
  pendingStagePath,
  setConsoleSessionCookie,
} from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, seeOther, sendPage } from "./console-pages.ts";

/**
 * `POST /console/sign-in` (`email`, `password`): a session that must still give its second factor
 * (or enrol one); a refusal shows the form again with the API's status (401, or 429 when throttled).
 */
export function signIn(app: App, services: AppServices): void {
  app.post("/console/sign-in", async (request, reply) => {
    const email = formField(request, "email");
    const password = formField(request, "password", { raw: true });
    const outcome = await attemptChange(() =>
      services.consoleIdentity.signIn(email, password, consoleClientAddress(request)),
    );
    if (!outcome.ok) {
      return sendPage(request, reply, {
        refusal: outcome.error,
        title: "Sign in",
        body: signInPage(request, { email, error: outcome.error }),
      });
    }
    // A session this browser held before ends now: one browser, one session.
    if (request.consoleSessionToken) await services.consoleIdentity.signOut(request.consoleSessionToken);
    setConsoleSessionCookie(reply, outcome.value.sessionToken);
    return seeOther(reply, pendingStagePath(outcome.value) ?? "/console/");
  });
}
