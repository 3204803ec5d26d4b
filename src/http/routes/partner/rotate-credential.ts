import { Type } from "typebox";
import { parseRotationOverlap } from "../../../domain/lifecycle-policy.ts";
import { ROTATION_ENDS } from "../../../domain/types.ts";
import { presentCredential } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { CreatedCredentialSchema, CredentialIdParam } from "../../schemas/credential.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function rotateCredential(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/credentials/:credential_id/rotate`,
      {
        schema: {
          operationId: scope.operationId("rotateCredential"),
          tags: [scope.tag],
          summary: "Rotate: create the successor now, end the old credential after an overlap",
          description:
            "Returns the successor (with its api_key, once). The old credential keeps working until its " +
            "expires_at, then becomes DISABLED with reason ROTATED. WHEN_OLD_KEY_IDLE ends the overlap " +
            "early once the successor has been used and the old key has been idle for the quiet period.",
          params: scope.params(CredentialIdParam),
          body: Type.Optional(
            Type.Object(
              {
                overlap: Type.Optional(
                  Type.String({
                    description: "ISO 8601 duration, PT0S to P30D (default PT24H)",
                    maxLength: 40,
                  }),
                ),
                end_overlap: Type.Optional(Type.Enum(ROTATION_ENDS, { default: "AT_EXPIRY" })),
              },
              { additionalProperties: false },
            ),
          ),
          response: { 200: CreatedCredentialSchema, ...errorResponses },
        },
        // The body is optional: a bare POST rotates with the defaults.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        const overlapMs = parseRotationOverlap(request.body?.overlap);
        const { successor } = await services.credentials.rotate(
          account,
          contextOf(request),
          request.params.credential_id,
          {
            overlapMs,
            end: request.body?.end_overlap ?? "AT_EXPIRY",
          },
        );
        return reply.code(200).send({
          ...presentCredential(successor.credential),
          ...(successor.apiKey ? { api_key: successor.apiKey } : {}),
        });
      },
    );
  }
}
