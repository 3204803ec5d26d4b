import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import { CertificateIdParam } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function revokeClientCertificate(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.delete(
      `${scope.prefix}/client-certificates/:certificate_id`,
      {
        schema: {
          operationId: scope.operationId("revokeClientCertificate"),
          tags: [scope.tag],
          summary: "Revoke a client certificate (204); requests with it are INVALID from now on",
          params: scope.params(CertificateIdParam),
          response: { 204: Type.Null({ description: "Revoked" }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        await services.security.revokeCertificate(account, contextOf(request), request.params.certificate_id);
        return reply.code(204).send(null);
      },
    );
  }
}
