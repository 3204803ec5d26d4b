import { consoleAccount, requireConsole } from "../../plugins/console-session.ts";
import { CertificateIdParam } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { accountParamsWith } from "./account-common.ts";

/**
 * `GET /console/accounts/:account_id/security/certificates/:certificate_id/certificate.pem`: the
 * certificate as `GET /v1/account/client-certificates/{id}` answers it, as a PEM file.
 */
export function accountDownloadCertificate(app: App, services: AppServices): void {
  app.get(
    "/console/accounts/:account_id/security/certificates/:certificate_id/certificate.pem",
    {
      schema: { params: accountParamsWith(CertificateIdParam) },
      preHandler: requireConsole("read"),
    },
    async (request, reply) => {
      const account = await consoleAccount(request);
      const certificate = await services.security.getCertificate(account, request.params.certificate_id);
      return reply
        .type("application/x-pem-file")
        .header(
          "Content-Disposition",
          `attachment; filename="client-certificate-${certificate.certificateId}.pem"`,
        )
        .send(certificate.certificatePem);
    },
  );
}
