import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";
import type { ServiceToken } from "../../domain/types.ts";
import type { ServiceTokenService } from "../../services/service-tokens.ts";
import type { App } from "../types.ts";

/**
 * `/internal/*`: the provider's own services authenticate with `X-Service-Token` (never
 * `Authorization`, which carries the partner's key). A failure cannot be mistaken for the
 * partner's own 401: its code is SERVICE_UNAUTHORIZED.
 */
export function registerServiceAuth(app: App, tokens: ServiceTokenService): void {
  // Callback-style: a token verified within the cache's bound passes without a promise or a closure.
  app.addHook("onRequest", (request, _reply, done) => {
    const header = request.headers["x-service-token"];
    const presented = typeof header === "string" ? header : undefined;
    const remembered = tokens.remembered(presented);
    if (remembered !== undefined) return admit(request, remembered, done);
    tokens.verify(presented).then((token) => admit(request, token, done), done);
  });
}

function admit(request: FastifyRequest, token: ServiceToken | null, done: (error?: Error) => void): void {
  if (!token) {
    done(
      new AppError(
        "SERVICE_UNAUTHORIZED",
        "Missing, unknown or revoked service token. Send: X-Service-Token: <token>",
      ),
    );
    return;
  }
  request.log.debug({ service_token: token.name }, "service authenticated");
  done();
}
