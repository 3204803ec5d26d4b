import { Type } from "typebox";
import type { App } from "../../types.ts";

export function healthz(app: App): void {
  app.get(
    "/healthz",
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
