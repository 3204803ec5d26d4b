import { presentCertificate } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { CertificateIdParam, ClientCertificateSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, targetAccount } from "./scopes.ts";

export function getClientCertificate(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.get(
      `${scope.prefix}/client-certificates/:certificate_id`,
      {
        schema: {
          operationId: scope.operationId("getClientCertificate"),
          tags: [scope.tag],
          summary: "One client certificate",
          params: scope.params(CertificateIdParam),
          response: { 200: ClientCertificateSchema, ...errorResponses },
        },
      },
      async (request) => {
        const account = targetAccount(request);
        const certificate = await services.security.getCertificate(account, request.params.certificate_id);
        return presentCertificate(certificate, services.now());
      },
    );
  }
}
