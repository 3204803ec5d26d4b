import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyInstance } from "fastify";
import { registerAdminAuth } from "./plugins/admin-auth.ts";
import { clientError, frameworkError, registerErrorHandling } from "./plugins/error-handler.ts";
import { registerIdempotency } from "./plugins/idempotency.ts";
import { partnerOf, registerPartnerAuth } from "./plugins/partner-auth.ts";
import { registerRequestContext } from "./plugins/request-context.ts";
import { createAccount } from "./routes/admin/create-account.ts";
import { adminDisableCredential } from "./routes/admin/disable-credential.ts";
import { adminEnableCredential } from "./routes/admin/enable-credential.ts";
import { issueOnboardingLink } from "./routes/admin/issue-onboarding-link.ts";
import { listAccounts } from "./routes/admin/list-accounts.ts";
import { getRateLimits, putRateLimits } from "./routes/admin/rate-limits.ts";
import { createClientSession } from "./routes/client/create-client-session.ts";
import { preflightClientSession } from "./routes/client/preflight-client-session.ts";
import { verifyClientSession } from "./routes/client/verify-client-session.ts";
import { claimOnboardingLink } from "./routes/onboarding/claim-onboarding-link.ts";
import { showOnboardingPage } from "./routes/onboarding/show-onboarding-page.ts";
import { healthz } from "./routes/ops/healthz.ts";
import { metricsEndpoint } from "./routes/ops/metrics.ts";
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
import { type App, type AppOptions, headerPrefix } from "./types.ts";
import { schemaController } from "./validation.ts";

export const BODY_LIMIT_BYTES = 1024 * 1024;

const withTypes = (scope: FastifyInstance): App =>
  scope.withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

/** Builds the HTTP application without listening: tests drive it with `inject()`. */
export async function buildApp(options: AppOptions): Promise<App> {
  const prefix = headerPrefix(options.brand);
  const { services } = options;
  const app = withTypes(
    Fastify({
      loggerInstance: options.logger,
      bodyLimit: BODY_LIMIT_BYTES,
      http: { maxHeaderSize: 64 * 1024 },
      genReqId: () => randomUUID(),
      return503OnClosing: true,
      forceCloseConnections: "idle",
      frameworkErrors: frameworkError,
      trustProxy: options.transport.trustedProxies.length > 0 ? [...options.transport.trustedProxies] : false,
      clientErrorHandler: clientError,
      schemaController,
    }),
  );

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Partner credentials",
        version: "1",
        description:
          "API keys and Client IDs for Acquiring Partners and their Partner Accounts. Errors always use the Error body.",
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: "apiKey",
            in: "header",
            name: "Authorization",
            description: "`Basic <api_key>`, or standard Basic auth with the API key as password",
          },
          operatorToken: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  app.removeContentTypeParser("text/plain");
  registerErrorHandling(app);
  registerRequestContext(app, { headerPrefix: prefix });

  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerPartnerAuth(scope, {
      authenticator: services.authenticator,
      guard: services.authGuard,
      rateLimits: services.rateLimits,
      accounts: services.accounts,
      brand: options.brand,
      metrics: options.metrics,
      access: services.access,
      transport: options.transport,
      headerPrefix: prefix,
      mtlsRequiredFor: options.mtlsRequiredFor,
    });
    registerIdempotency(scope, {
      service: services.idempotency,
      headerPrefix: prefix,
      scopeOf: (request) => partnerOf(request).account.accountId,
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
    ]) {
      route(scope, services);
    }
  });

  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerAdminAuth(scope, options.adminToken);
    registerIdempotency(scope, {
      service: services.idempotency,
      headerPrefix: prefix,
      scopeOf: () => "operator",
    });
    for (const route of [
      createAccount,
      issueOnboardingLink,
      adminEnableCredential,
      adminDisableCredential,
      getRateLimits,
      putRateLimits,
    ]) {
      route(scope, services);
    }
    listAccounts(scope, services, { mtlsRequiredFor: options.mtlsRequiredFor });
  });

  await app.register(async (plain) => {
    const scope = withTypes(plain);
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
  for (const route of [preflightClientSession, createClientSession, verifyClientSession])
    route(app, services);

  app.addHook("onResponse", async (request, reply) => {
    options.metrics.requests.inc({
      method: request.method,
      route: request.routeOptions.url ?? "unmatched",
      status: String(reply.statusCode),
    });
  });
  metricsEndpoint(app, options.metrics);
  healthz(app);
  readyz(app, services);
  return app;
}
