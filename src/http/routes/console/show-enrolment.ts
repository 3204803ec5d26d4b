import type { App, AppServices } from "../../types.ts";
import { sendEnrolmentPage } from "./enrolment-page.ts";
import { requireStage, stageToken } from "./stage-guard.ts";

/** `GET /console/two-factor/enrol`: a new TOTP secret as a QR code and as text, and the code field. */
export function showEnrolment(app: App, services: AppServices): void {
  app.get("/console/two-factor/enrol", { preHandler: requireStage("ENROL") }, async (request, reply) =>
    sendEnrolmentPage(request, reply, services, stageToken(request)),
  );
}
