import { unusableLinkError } from "../../../domain/onboarding-link.ts";
import { invitationPage } from "../../console/views/sign-in-pages.ts";
import type { App, AppServices } from "../../types.ts";
import { pathParam, sendPage } from "./console-pages.ts";
import { sendInvitationError } from "./invitation-errors.ts";

/** `GET /console/invitations/:token`: the password form of a valid invitation; consumes nothing. */
export function showInvitation(app: App, services: AppServices): void {
  app.get("/console/invitations/:token", async (request, reply) => {
    const token = pathParam(request, "token");
    const inspected = await services.consoleIdentity.invitation(token);
    if (inspected.state !== "VALID") {
      return sendInvitationError(request, reply, services, unusableLinkError(inspected.state));
    }
    return sendPage(request, reply, {
      title: "Set your password",
      body: invitationPage(request, { token, email: inspected.email, expiresAt: inspected.expiresAt }),
    });
  });
}
