import { Type } from "typebox";
import { ErrorBody, Timestamp } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";

export function verifyClientSession(app: App, services: AppServices): void {
  app.post(
    "/v1/client/sessions/verify",
    {
      schema: {
        operationId: "verifyClientSession",
        tags: ["Web SDK"],
        summary:
          "For the provider's services: check a session token, and optionally the origin it is used from",
        security: [],
        body: Type.Object(
          {
            session_token: Type.String({ maxLength: 2048 }),
            origin: Type.Optional(Type.String({ maxLength: 300 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            client_id: Type.String(),
            credential_id: Type.String(),
            account_id: Type.String(),
            environment: Type.Enum(["LIVE", "TEST"]),
            origin: Type.String(),
            expires_at: Timestamp,
          }),
          400: ErrorBody,
          401: ErrorBody,
        },
      },
    },
    async (request) => {
      const claims = await services.sessions.verify(request.body.session_token, request.body.origin);
      return {
        client_id: claims.clientId,
        credential_id: claims.credentialId,
        account_id: claims.accountId,
        environment: claims.environment,
        origin: claims.origin,
        expires_at: claims.expiresAt.toISOString(),
      };
    },
  );
}
