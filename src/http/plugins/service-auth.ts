import { AppError } from "../../domain/errors.ts";
import type { ServiceTokenService } from "../../services/service-tokens.ts";
import type { App } from "../types.ts";

/**
 * `/internal/*`: the provider's own services authenticate with `X-Service-Token` (never
 * `Authorization`, which carries the partner's key). A failure cannot be mistaken for the
 * partner's own 401: its code is SERVICE_UNAUTHORIZED.
 */
export function registerServiceAuth(app: App, tokens: ServiceTokenService): void {
  app.addHook("onRequest", async (request) => {
    const presented = request.headers["x-service-token"];
    const token = await tokens.verify(typeof presented === "string" ? presented : undefined);
    if (!token) {
      throw new AppError(
        "SERVICE_UNAUTHORIZED",
        "Missing, unknown or revoked service token. Send: X-Service-Token: <token>",
      );
    }
    request.log.debug({ service_token: token.name }, "service authenticated");
  });
}
