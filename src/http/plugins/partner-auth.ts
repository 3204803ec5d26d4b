import type { FastifyRequest } from "fastify";
import { presentedApiKey } from "../../domain/authorization-header.ts";
import { AppError } from "../../domain/errors.ts";
import type { Authenticator } from "../../services/authenticator.ts";
import type { App, Partner } from "../types.ts";

const UNAUTHORIZED = "Missing or invalid API key. Send it as: Authorization: Basic <api_key>";

/**
 * Authenticates every request of the scope it is registered in, before the body is read.
 * Every failure looks the same to the caller: which check failed is not revealed.
 */
export function registerPartnerAuth(app: App, authenticator: Authenticator): void {
  app.decorateRequest("partner", null);
  app.addHook("onRequest", async (request) => {
    const key = presentedApiKey(request.headers.authorization);
    if (key === null) throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
    const outcome = await authenticator.authenticate(key, request.ip);
    if (outcome.result !== "VALID") {
      request.log.info({ auth: outcome.result }, "authentication failed");
      throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
    }
    request.partner = { account: outcome.account, credential: outcome.credential };
  });
}

/** The authenticated caller; routes of the partner scope only run after authentication. */
export function partnerOf(request: FastifyRequest): Partner {
  if (!request.partner) throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
  return request.partner;
}
