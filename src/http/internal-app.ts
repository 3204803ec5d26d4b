import { createFastify, withTypes } from "./fastify.ts";
import { registerOpenApi } from "./openapi.ts";
import { registerAdminAuth } from "./plugins/admin-auth.ts";
import { registerIdempotency } from "./plugins/idempotency.ts";
import { registerServiceAuth } from "./plugins/service-auth.ts";
import { createAccount } from "./routes/admin/create-account.ts";
import { createServiceToken } from "./routes/admin/create-service-token.ts";
import { adminDisableCredential } from "./routes/admin/disable-credential.ts";
import { adminEnableCredential } from "./routes/admin/enable-credential.ts";
import { adminGetAccount } from "./routes/admin/get-account.ts";
import { issueOnboardingLink } from "./routes/admin/issue-onboarding-link.ts";
import { adminLiftMtlsEnforcement } from "./routes/admin/lift-mtls-enforcement.ts";
import { listAccounts } from "./routes/admin/list-accounts.ts";
import { adminListCredentials } from "./routes/admin/list-credentials.ts";
import { listServiceTokens } from "./routes/admin/list-service-tokens.ts";
import { getRateLimits, putRateLimits } from "./routes/admin/rate-limits.ts";
import { adminResetIpRestriction } from "./routes/admin/reset-ip-restriction.ts";
import { resumeAccount } from "./routes/admin/resume-account.ts";
import { revokeServiceToken } from "./routes/admin/revoke-service-token.ts";
import { suspendAccount } from "./routes/admin/suspend-account.ts";
import { verifyAuditChain } from "./routes/admin/verify-audit-chain.ts";
import { authorize } from "./routes/internal/authorize.ts";
import { identityKeys } from "./routes/internal/identity-keys.ts";
import { renderDenial } from "./routes/internal/render-denial.ts";
import { healthz } from "./routes/ops/healthz.ts";
import { metricsEndpoint } from "./routes/ops/metrics.ts";
import { readyz } from "./routes/ops/readyz.ts";
import { type App, type AppOptions, headerPrefix } from "./types.ts";

/**
 * The internal listener's application: the operator API (`/admin/*`, operator token), the
 * provider's endpoints (`/internal/*`, service tokens), and `/metrics`. None of these is reachable
 * on the partners' listeners.
 */
export async function buildInternalApp(options: AppOptions): Promise<App> {
  const prefix = headerPrefix(options.brand);
  const { services } = options;
  const app = createFastify({
    logger: options.logger,
    trustedProxies: options.transport.trustedProxies,
    headerPrefix: prefix,
    metrics: options.metrics,
    listener: "internal",
    timeouts: options.timeouts,
    docsUrl: options.docsUrl,
  });
  await registerOpenApi(app, {
    title: "Partner credentials: operator and internal API",
    description:
      "The internal listener: the operator API (`/admin/*`, operator token), the provider's authorization endpoints (`/internal/*`, service tokens) and operations. Never exposed to partners. Every error answers with the ErrorBody schema.",
    serverUrl: `http://${options.internalAddress}`,
    headerPrefix: prefix,
    securitySchemes: {
      operatorToken: {
        type: "http",
        scheme: "bearer",
        description: "ADMIN_TOKEN, or a named operator token",
      },
      serviceToken: {
        type: "apiKey",
        in: "header",
        name: "X-Service-Token",
        description: "`partnerctl admin service-tokens create`",
      },
    },
    security: [{ operatorToken: [] }],
    isPartnerCall: () => false,
    securityOf: (path) => (path.startsWith("/internal/") ? [{ serviceToken: [] }] : null),
  });

  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerAdminAuth(scope, {
      adminToken: options.adminToken,
      operators: options.operators,
      guard: services.operatorGuard,
    });
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
      createServiceToken,
      listServiceTokens,
      revokeServiceToken,
      verifyAuditChain,
      adminGetAccount,
      adminListCredentials,
      adminLiftMtlsEnforcement,
      adminResetIpRestriction,
      suspendAccount,
      resumeAccount,
    ]) {
      route(scope, services);
    }
    listAccounts(scope, services, { mtlsRequiredFor: options.mtlsRequiredFor });
  });

  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerServiceAuth(scope, services.serviceTokens);
    // Proxies may pass the original request's Content-Type along; the body is never read.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { bodyLimit: 64 * 1024 }, (_request, _payload, done) => done(null));
    authorize(scope, services, { transport: options.transport, headerPrefix: prefix });
    renderDenial(scope, { headerPrefix: prefix });
  });
  identityKeys(app, services);
  metricsEndpoint(app, options.metrics);
  healthz(app);
  readyz(app, services);
  return app;
}
