import { signInPage } from "../../console/views/sign-in-pages.ts";
import { whereNext } from "../../plugins/console-session.ts";
import type { App } from "../../types.ts";
import { queryField, seeOther, sendPage } from "./console-pages.ts";

/** `GET /console/sign-in`: email and password (a signed-in user goes on to their accounts). */
export function showSignIn(app: App): void {
  app.get("/console/sign-in", async (request, reply) => {
    const session = request.consoleSession;
    if (session?.stage === "SIGNED_IN") return seeOther(reply, whereNext(session));
    return sendPage(request, reply, {
      title: "Sign in",
      body: signInPage(request, { signedOut: queryField(request, "signed_out") === "1" }),
    });
  });
}
