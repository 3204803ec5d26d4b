import { type AppError, invalidParameter } from "../../../domain/errors.ts";
import { formField } from "../../console/forms.ts";
import { invitationPage } from "../../console/views/sign-in-pages.ts";
import { consoleClientAddress, setConsoleSessionCookie } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { attemptChange, pathParam, refused, seeOther, sendPage } from "./console-pages.ts";
import { sendInvitationError } from "./invitation-errors.ts";

const LINK_ERRORS: ReadonlySet<AppError["code"]> = new Set([
  "NOT_FOUND",
  "LINK_ALREADY_USED",
  "LINK_EXPIRED",
]);

/**
 * `POST /console/invitations/:token` (`password`, `password_confirmation`): sets the password,
 * consumes the invitation and starts a session that enrols the second factor next.
 */
export function acceptInvitation(app: App, services: AppServices): void {
  app.post("/console/invitations/:token", async (request, reply) => {
    const token = pathParam(request, "token");
    const password = formField(request, "password", { raw: true });
    const confirmation = formField(request, "password_confirmation", { raw: true });
    const outcome =
      password === confirmation
        ? await attemptChange(() =>
            services.consoleIdentity.acceptInvitation(token, password, consoleClientAddress(request)),
          )
        : refused(invalidParameter("password_confirmation", "does not match the password"));
    if (outcome.ok) {
      if (request.consoleSessionToken) await services.consoleIdentity.signOut(request.consoleSessionToken);
      setConsoleSessionCookie(reply, outcome.value.sessionToken);
      return seeOther(reply, "/console/two-factor/enrol");
    }
    if (LINK_ERRORS.has(outcome.error.code))
      return sendInvitationError(request, reply, services, outcome.error);
    const inspected = await services.consoleIdentity.invitation(token);
    if (inspected.state !== "VALID") return sendInvitationError(request, reply, services, outcome.error);
    return sendPage(request, reply, {
      status: outcome.error.status,
      title: "Set your password",
      body: invitationPage(request, {
        token,
        email: inspected.email,
        expiresAt: inspected.expiresAt,
        error: outcome.error,
      }),
    });
  });
}
