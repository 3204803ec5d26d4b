import { Type } from "typebox";
import { LIVENESS_BODY, LIVENESS_PATH } from "../../liveness.ts";
import type { App } from "../../types.ts";

/**
 * The route documents the probe and answers it through `inject()` and while the listener closes;
 * over an open listener `answerLiveness` answers before routing, with the same status and body.
 */
export function healthz(app: App): void {
  app.get(
    LIVENESS_PATH,
    {
      schema: {
        operationId: "healthz",
        security: [],
        tags: ["Operations"],
        summary: "Liveness: the process answers (no I/O)",
        response: { 200: Type.Object({ status: Type.Literal("ok") }) },
      },
    },
    async () => LIVENESS_BODY,
  );
}
