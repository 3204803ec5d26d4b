import { Type } from "typebox";
import { errorResponses } from "../../schemas/common.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES } from "./scopes.ts";

export function getClientCertificateCa(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/client-certificates/ca`,
      {
        schema: {
          operationId: scope.operationId("getClientCertificateCa"),
          tags: [scope.tag],
          summary: "The CA certificate (PEM) that issues your client certificates",
          description:
            "It also signs the HTTPS listener's certificate unless the operator installed its own (TLS_CERT_FILE): trust it in your HTTP client then.",
          params: scope.params({}),
          response: {
            200: Type.String({ description: "PEM (application/x-pem-file)" }),
            ...errorResponses,
          },
        },
      },
      async (_request, reply) =>
        reply
          .type("application/x-pem-file")
          .header("Content-Disposition", 'attachment; filename="client-certificate-ca.pem"')
          .send(services.caCertificatePem),
    );
  }
}
