import { Type } from "typebox";
import { AppError } from "../../../domain/errors.ts";
import { ErrorBody } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";

export function readyz(app: App, services: AppServices): void {
  app.get(
    "/readyz",
    {
      schema: {
        operationId: "readyz",
        security: [],
        tags: ["Operations"],
        summary: "Readiness: the store answers; details show whether limits and revocations are shared",
        response: {
          200: Type.Object({
            status: Type.Literal("ready"),
            store: Type.Literal("ok"),
            invalidation_bus: Type.Enum(["LOCAL", "UP", "DOWN"], {
              description: "DOWN: caches fall back to their short lifetime",
            }),
            rate_limits: Type.Enum(["LOCAL", "SHARED", "PER_INSTANCE"], {
              description: "PER_INSTANCE: Redis is down, each instance keeps 1/n of every budget",
            }),
          }),
          503: ErrorBody,
        },
      },
    },
    async (request) => {
      try {
        await services.ping();
      } catch (error) {
        request.log.warn({ err: error }, "store not reachable");
        throw new AppError("SERVICE_UNAVAILABLE", "The store is not reachable");
      }
      return { status: "ready" as const, store: "ok" as const, ...services.sharing() };
    },
  );
}
