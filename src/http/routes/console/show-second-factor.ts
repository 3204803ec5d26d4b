import { secondFactorPage } from "../../console/views/sign-in-pages.ts";
import type { App } from "../../types.ts";
import { sendPage } from "./console-pages.ts";
import { requireStage } from "./stage-guard.ts";

/** `GET /console/two-factor`: the code from the authenticator app, or a recovery code. */
export function showSecondFactor(app: App): void {
  app.get("/console/two-factor", { preHandler: requireStage("SECOND_FACTOR") }, async (request, reply) =>
    sendPage(request, reply, { title: "Two-factor sign-in", body: secondFactorPage(request, {}) }),
  );
}
