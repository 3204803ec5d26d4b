import { consoleAccount, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { AccountParams } from "./account-common.ts";

/**
 * `GET /console/accounts/:account_id/security/ca.pem`: the CA certificate that issues client
 * certificates, as `GET /v1/account/client-certificates/ca` answers it.
 */
export function accountDownloadCa(app: App, services: AppServices): void {
  app.get(
    "/console/accounts/:account_id/security/ca.pem",
    { schema: { params: AccountParams }, preHandler: requireConsole("read") },
    async (request, reply) => {
      await consoleAccount(request);
      return reply
        .type("application/x-pem-file")
        .header("Content-Disposition", 'attachment; filename="client-certificate-ca.pem"')
        .send(services.caCertificatePem);
    },
  );
}
