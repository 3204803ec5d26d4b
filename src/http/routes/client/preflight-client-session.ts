import { Type } from "typebox";
import { AppError } from "../../../domain/errors.ts";
import { ErrorBody } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { allowOrigin } from "./cors.ts";

export function preflightClientSession(app: App, services: AppServices): void {
  app.options(
    "/v1/client/sessions",
    {
      schema: {
        operationId: "preflightClientSession",
        tags: ["Web SDK"],
        summary: "CORS preflight: granted only to an origin some account has registered",
        security: [],
        response: { 204: Type.Null({ description: "Allowed" }), 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const origin = request.headers.origin;
      if (typeof origin !== "string" || !(await services.origins.anyAllows(origin))) {
        throw new AppError("FORBIDDEN", "This origin is not allowed");
      }
      allowOrigin(reply, origin);
      return reply
        .code(204)
        .header("Access-Control-Allow-Methods", "POST")
        .header("Access-Control-Allow-Headers", "content-type")
        .header("Access-Control-Max-Age", "600")
        .send(null);
    },
  );
}
