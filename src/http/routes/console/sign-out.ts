import { clearConsoleSessionCookie } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { seeOther } from "./console-pages.ts";

/** `POST /console/sign-out`: ends the session server-side (its cookie stops working anywhere). */
export function signOut(app: App, services: AppServices): void {
  app.post("/console/sign-out", async (request, reply) => {
    if (request.consoleSessionToken) await services.consoleIdentity.signOut(request.consoleSessionToken);
    clearConsoleSessionCookie(reply);
    return seeOther(reply, "/console/sign-in?signed_out=1");
  });
}
