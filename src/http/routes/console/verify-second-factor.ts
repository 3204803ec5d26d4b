import { formField } from "../../console/forms.ts";
import { secondFactorPage } from "../../console/views/sign-in-pages.ts";
import { consoleClientAddress, setConsoleSessionCookie } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, seeOther, sendPage } from "./console-pages.ts";
import { requireStage, stageToken } from "./stage-guard.ts";

/**
 * `POST /console/two-factor` (`code`): a TOTP code or a recovery code; the session is signed in
 * under a new token. Wrong codes are counted (429 past the limit).
 */
export function verifySecondFactor(app: App, services: AppServices): void {
  app.post("/console/two-factor", { preHandler: requireStage("SECOND_FACTOR") }, async (request, reply) => {
    // A TOTP code or a recovery code as typed: the service normalises either.
    const outcome = await attemptChange(() =>
      services.consoleIdentity.verifySecondFactor(
        stageToken(request),
        formField(request, "code"),
        consoleClientAddress(request),
      ),
    );
    if (!outcome.ok) {
      return sendPage(request, reply, {
        refusal: outcome.error,
        title: "Two-factor sign-in",
        body: secondFactorPage(request, { error: outcome.error }),
      });
    }
    setConsoleSessionCookie(reply, outcome.value.sessionToken);
    return seeOther(reply, "/console/");
  });
}
