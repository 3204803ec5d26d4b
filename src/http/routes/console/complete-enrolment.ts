import { formField } from "../../console/forms.ts";
import { recoveryCodesPage } from "../../console/views/sign-in-pages.ts";
import { consoleClientAddress, setConsoleSessionCookie } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, sendPage } from "./console-pages.ts";
import { sendEnrolmentPage } from "./enrolment-page.ts";
import { requireStage, stageToken } from "./stage-guard.ts";

/**
 * `POST /console/two-factor/enrol` (`code`): confirms the offered secret; the session is signed in
 * (a new token) and the ten recovery codes are shown, this once.
 */
export function completeEnrolment(app: App, services: AppServices): void {
  app.post("/console/two-factor/enrol", { preHandler: requireStage("ENROL") }, async (request, reply) => {
    const token = stageToken(request);
    // The code as typed (spaces between the digits allowed): the service normalises it.
    const code = formField(request, "code");
    const outcome = await attemptChange(() =>
      services.consoleIdentity.completeEnrolment(token, code, consoleClientAddress(request)),
    );
    if (!outcome.ok) return sendEnrolmentPage(request, reply, services, token, outcome.error);
    setConsoleSessionCookie(reply, outcome.value.sessionToken);
    // The page is rendered for the new session: its CSRF token and header belong to it.
    request.consoleSession = await services.consoleIdentity.session(outcome.value.sessionToken);
    request.consoleSessionToken = outcome.value.sessionToken;
    return sendPage(request, reply, {
      title: "Save your recovery codes",
      body: recoveryCodesPage({ codes: outcome.value.recoveryCodes }),
    });
  });
}
