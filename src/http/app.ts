import { Guide } from "../guide.ts";
import { createFastify, withTypes } from "./fastify.ts";
import { registerOpenApi } from "./openapi.ts";
import { registerIdempotency } from "./plugins/idempotency.ts";
import { partnerOf, registerPartnerAuth } from "./plugins/partner-auth.ts";
import { registerTlsRequirement } from "./plugins/require-tls.ts";
import { createClientSession } from "./routes/client/create-client-session.ts";
import { preflightClientSession } from "./routes/client/preflight-client-session.ts";
import { verifyClientSession } from "./routes/client/verify-client-session.ts";
import { claimOnboardingLink } from "./routes/onboarding/claim-onboarding-link.ts";
import { showOnboardingPage } from "./routes/onboarding/show-onboarding-page.ts";
import { guide } from "./routes/ops/guide.ts";
import { healthz } from "./routes/ops/healthz.ts";
import { readyz } from "./routes/ops/readyz.ts";
import { createAllowedOrigin } from "./routes/partner/create-allowed-origin.ts";
import { createClientCertificate } from "./routes/partner/create-client-certificate.ts";
import { createCredential } from "./routes/partner/create-credential.ts";
import { createPartnerAccount } from "./routes/partner/create-partner-account.ts";
import { deleteAllowedOrigin } from "./routes/partner/delete-allowed-origin.ts";
import { deleteMtlsEnforcement } from "./routes/partner/delete-mtls-enforcement.ts";
import { disableCredential } from "./routes/partner/disable-credential.ts";
import { enableCredential } from "./routes/partner/enable-credential.ts";
import { getAccount } from "./routes/partner/get-account.ts";
import { getClientCertificate } from "./routes/partner/get-client-certificate.ts";
import { getClientCertificateCa } from "./routes/partner/get-client-certificate-ca.ts";
import { getCredential } from "./routes/partner/get-credential.ts";
import { getIpRestriction } from "./routes/partner/get-ip-restriction.ts";
import { getMtlsEnforcement } from "./routes/partner/get-mtls-enforcement.ts";
import { listAllowedOrigins } from "./routes/partner/list-allowed-origins.ts";
import { listAuditEvents } from "./routes/partner/list-audit-events.ts";
import { listClientCertificates } from "./routes/partner/list-client-certificates.ts";
import { listCredentials } from "./routes/partner/list-credentials.ts";
import { listPartnerAccounts } from "./routes/partner/list-partner-accounts.ts";
import { putIpRestriction } from "./routes/partner/put-ip-restriction.ts";
import { putMtlsEnforcement } from "./routes/partner/put-mtls-enforcement.ts";
import { revokeClientCertificate } from "./routes/partner/revoke-client-certificate.ts";
import { rotateCredential } from "./routes/partner/rotate-credential.ts";
import { updateCredential } from "./routes/partner/update-credential.ts";
import { createCredentialV2 } from "./routes/v2/create-credential.ts";
import { disableCredentialV2 } from "./routes/v2/disable-credential.ts";
import { getCredentialV2 } from "./routes/v2/get-credential.ts";
import { getIpRestrictionV2 } from "./routes/v2/get-ip-restriction.ts";
import { listCredentialsV2 } from "./routes/v2/list-credentials.ts";
import { patchIpRestrictionV2 } from "./routes/v2/patch-ip-restriction.ts";
import { type App, type AppOptions, headerPrefix } from "./types.ts";

/**
 * Builds the partners' application without listening (tests drive it with `inject()`): the Partner
 * Management API, onboarding pages, browser sessions, health and the API reference. Operator,
 * internal and metrics routes live on the internal listener only (`buildInternalApp`).
 */
export async function buildApp(options: AppOptions): Promise<App> {
  const prefix = headerPrefix(options.brand);
  const { services } = options;
  const app = createFastify({
    logger: options.logger,
    trustedProxies: options.transport.trustedProxies,
    headerPrefix: prefix,
    metrics: options.metrics,
    listener: "public",
    timeouts: options.timeouts,
    docsUrl: options.docsUrl,
  });

  await registerOpenApi(app, {
    title: "Partner credentials: Partner Management API",
    description:
      "API keys and Client IDs for Acquiring Partners and their Partner Accounts, in the wire format of Klarna's Partner Management API (v1 and v2 paths). Every error answers with the ErrorBody schema.",
    serverUrl: options.publicUrl,
    headerPrefix: prefix,
    securitySchemes: {
      apiKey: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description:
          "`Basic <api_key>`, or `Basic <credential_id>:<api_key>` written out or base64-encoded (HTTP Basic with the key as password)",
      },
    },
    security: [{ apiKey: [] }],
    isPartnerCall: (path) => /^\/v[12]\/accounts?(\/|$)/.test(path),
  });

  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerTlsRequirement(scope, options.transport);
    registerPartnerAuth(scope, {
      authorizer: services.authorizer,
      transport: options.transport,
      headerPrefix: prefix,
    });
    registerIdempotency(scope, {
      service: services.idempotency,
      headerPrefix: prefix,
      // The caller and the account it acts on: the same key and body sent for another Partner
      // Account (through the Partner-Account header) is another request.
      scopeOf: (request) => {
        const { account, managed } = partnerOf(request);
        return managed ? `${account.accountId}>${managed.accountId}` : account.accountId;
      },
    });
    for (const route of [
      getAccount,
      createCredential,
      listCredentials,
      getCredential,
      updateCredential,
      disableCredential,
      enableCredential,
      rotateCredential,
      listAuditEvents,
      createClientCertificate,
      listClientCertificates,
      getClientCertificate,
      getClientCertificateCa,
      revokeClientCertificate,
      getMtlsEnforcement,
      putMtlsEnforcement,
      deleteMtlsEnforcement,
      getIpRestriction,
      putIpRestriction,
      createAllowedOrigin,
      listAllowedOrigins,
      deleteAllowedOrigin,
      createPartnerAccount,
      listPartnerAccounts,
      createCredentialV2,
      listCredentialsV2,
      getCredentialV2,
      disableCredentialV2,
      getIpRestrictionV2,
      patchIpRestrictionV2,
    ]) {
      route(scope, services);
    }
  });

  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerTlsRequirement(scope, options.transport);
    // The reveal button posts an empty HTML form; its body carries nothing we read.
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string" },
      (_req, _body, done) => done(null, {}),
    );
    showOnboardingPage(scope, services);
    claimOnboardingLink(scope, services, { brand: options.brand });
  });

  // Browser-facing: no API key, CORS answered per request.
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerTlsRequirement(scope, options.transport);
    for (const route of [preflightClientSession, createClientSession, verifyClientSession])
      route(scope, services);
  });

  healthz(app);
  readyz(app, services);
  guide(app, new Guide());
  return app;
}
