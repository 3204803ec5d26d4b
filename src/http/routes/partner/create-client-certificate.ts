import { Type } from "typebox";
import { presentCertificate } from "../../presenters.ts";
import { errorResponses } from "../../schemas/common.ts";
import { DESCRIPTION_SCHEMA } from "../../schemas/credential.ts";
import { ClientCertificateSchema } from "../../schemas/security.ts";
import type { App, AppServices } from "../../types.ts";
import { ACCOUNT_SCOPES, contextOf, targetAccount } from "./scopes.ts";

export function createClientCertificate(app: App, services: AppServices): void {
  for (const scope of ACCOUNT_SCOPES) {
    app.post(
      `${scope.prefix}/client-certificates`,
      {
        schema: {
          operationId: scope.operationId("createClientCertificate"),
          tags: [scope.tag],
          summary: "Sign a CSR into a client certificate (EC P-256, CN = the account's short id)",
          params: scope.params({}),
          body: Type.Object(
            {
              description: Type.Optional(DESCRIPTION_SCHEMA),
              certificate_signing_request: Type.String({
                maxLength: 16_384,
                description: "PKCS#10 CSR, PEM",
              }),
            },
            { additionalProperties: false },
          ),
          response: { 200: ClientCertificateSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const account = targetAccount(request);
        const certificate = await services.security.issueCertificate(account, contextOf(request), {
          description: request.body.description ?? "",
          csrPem: request.body.certificate_signing_request,
        });
        return reply.code(200).send(presentCertificate(certificate, services.now()));
      },
    );
  }
}
