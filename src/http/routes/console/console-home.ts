import { whereNext } from "../../plugins/console-session.ts";
import type { App } from "../../types.ts";
import { seeOther } from "./console-pages.ts";

/** `GET /console/`: to the sign-in page, the step of signing in still due, or the user's accounts. */
export function consoleHome(app: App): void {
  for (const url of ["/console", "/console/"]) {
    app.get(url, async (request, reply) => {
      return seeOther(reply, whereNext(request.consoleSession));
    });
  }
}
