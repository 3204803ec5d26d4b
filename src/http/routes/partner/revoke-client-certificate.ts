import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { CertificateIdParam } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

const FORCE_DESCRIPTION =
  "Revoke even though this is the last valid certificate of an account that enforces (or has scheduled) mTLS, which locks the account out";

export function revokeClientCertificate(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.delete(
      `${scope.prefix}/client-certificates/:certificate_id`,
      {
        schema: {
          operationId: scope.operationId("revokeClientCertificate"),
          tags: [scope.tag],
          summary: "Revoke a client certificate (204); requests with it are INVALID from now on",
          description:
            "Revoking the last valid certificate while mTLS is enforced or scheduled is refused (409 INVALID_STATE): " +
            'it would lock the account out. Send `?force=true` or the JSON body `{"force": true}` to revoke it anyway.',
          params: scope.params(CertificateIdParam),
          querystring: Type.Object(
            { force: Type.Optional(Type.Boolean({ description: FORCE_DESCRIPTION })) },
            { additionalProperties: false },
          ),
          body: Type.Optional(
            Type.Object(
              { force: Type.Optional(Type.Boolean({ description: FORCE_DESCRIPTION })) },
              { additionalProperties: false },
            ),
          ),
          response: { 204: Type.Null({ description: "Revoked" }), ...errorResponses },
        },
        // The body is optional: a bare DELETE revokes unless that locks the account out.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        await services.security.revokeCertificate(
          account,
          contextOf(request),
          request.params.certificate_id,
          {
            force: request.query.force === true || request.body?.force === true,
          },
        );
        return reply.code(204).send(null);
      },
    );
  }
}
