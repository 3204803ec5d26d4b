import { homeOf } from "../../console/layout.ts";
import { pendingStagePath } from "../../plugins/console-session.ts";
import type { App } from "../../types.ts";
import { seeOther } from "./console-pages.ts";

/** `GET /console/`: to the sign-in page, the step of signing in still due, or the user's accounts. */
export function consoleHome(app: App): void {
  for (const url of ["/console", "/console/"]) {
    app.get(url, async (request, reply) => {
      const session = request.consoleSession;
      if (!session) return seeOther(reply, "/console/sign-in");
      return seeOther(reply, pendingStagePath(session) ?? homeOf(session));
    });
  }
}
