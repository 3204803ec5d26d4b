import { Type } from "typebox";
import { LIVENESS_PATH } from "../../liveness.ts";
import type { App } from "../../types.ts";

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
    async () => ({ status: "ok" as const }),
  );
}
