import { Type } from "typebox";
import { rateLimitHeaders } from "../../../domain/rate-limit.ts";
import { ErrorBody, Timestamp } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { allowOrigin } from "./cors.ts";

export function createClientSession(app: App, services: AppServices): void {
  app.post(
    "/v1/client/sessions",
    {
      schema: {
        operationId: "createClientSession",
        tags: ["Web SDK"],
        summary: "From a web page: exchange a Client ID for a short-lived token bound to the page's origin",
        security: [],
        body: Type.Object({ client_id: Type.String({ maxLength: 128 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            session_token: Type.String(),
            expires_at: Timestamp,
            account_id: Type.String(),
            environment: Type.Enum(["LIVE", "TEST"]),
            origin: Type.String(),
          }),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          429: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const origin = request.headers.origin;
      const session = await services.sessions.create({
        clientId: request.body.client_id,
        origin: typeof origin === "string" ? origin : undefined,
        sourceIp: request.clientAddress,
      });
      allowOrigin(reply, session.claims.origin);
      if (session.rate) reply.headers(rateLimitHeaders(session.rate));
      return reply.code(200).send({
        session_token: session.token,
        expires_at: session.claims.expiresAt.toISOString(),
        account_id: session.claims.accountId,
        environment: session.claims.environment,
        origin: session.claims.origin,
      });
    },
  );
}
