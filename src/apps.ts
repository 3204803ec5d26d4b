import type { Services } from "./compose.ts";
import { deriveKey } from "./domain/secret-hash.ts";
import { buildApp } from "./http/app.ts";
import { buildInternalApp } from "./http/internal-app.ts";
import type { App, AppOptions } from "./http/types.ts";
import type { NamedOperator } from "./operator-tokens-file.ts";
import { ClientSessionService } from "./services/client-sessions.ts";

/** What only the HTTP apps need: who may operate, and the secret browser sessions are signed under. */
export interface AppAccess {
  /** The shared operator token (ADMIN_TOKEN or DATA_DIR/admin-token). */
  adminToken: string;
  /** Named operator tokens (ADMIN_TOKENS_FILE), besides `adminToken`. */
  operators?: readonly NamedOperator[];
  /** SESSION_SECRET or DATA_DIR/session-secret: the root of the session tokens' key, and nothing else. */
  sessionSecret: string;
}

export interface Apps {
  /** The partners' application: Partner Management API, onboarding pages, browser sessions, docs. */
  app: App;
  /** The operator's and the provider's: `/admin/*`, `/internal/*`, `/metrics`. */
  internal: App;
}

/** The two HTTP apps over the services, built but not listening; closing them closes nothing else. */
export async function buildApps(services: Services, access: AppAccess): Promise<Apps> {
  const { config } = services;
  const options = {
    brand: config.brand,
    docsUrl: config.docsUrl,
    publicUrl: config.publicUrl,
    internalAddress: `${config.internal.host.includes(":") ? `[${config.internal.host}]` : config.internal.host}:${config.internal.port}`,
    timeouts: config.timeouts,
    metrics: services.metrics,
    transport: {
      trustedProxies: config.trustedProxies,
      clientCertHeader: config.clientCertHeader,
    },
    mtlsRequiredFor: config.mtlsRequiredFor,
    adminToken: access.adminToken,
    operators: access.operators ?? [],
    logger: services.logger,
    services: {
      accounts: services.accounts,
      credentials: services.credentials,
      onboarding: services.onboarding,
      audit: services.audit,
      authenticator: services.authenticator,
      idempotency: services.idempotency,
      access: services.access,
      security: services.security,
      origins: services.origins,
      rateLimits: services.rateLimits,
      authGuard: services.authGuard,
      authorizer: services.authorizer,
      operatorGuard: services.operatorGuard,
      linkGuard: services.linkGuard,
      serviceTokens: services.serviceTokens,
      webhooks: services.webhooks,
      identity: services.identity,
      leakReports: services.leakReports,
      consoleIdentity: services.consoleIdentity,
      sharing: services.sharing,
      sessions: new ClientSessionService(
        { store: services.store, clock: services.clock, random: services.random },
        {
          origins: services.origins,
          usage: services.usage,
          rateLimits: services.rateLimits,
          perSource: { counter: services.counter, ...config.clientSessionSourceLimits },
          brand: config.brand,
          key: deriveKey(access.sessionSecret, "client-session/v1"),
          ttlMs: config.clientSessionTtlMs,
        },
      ),
      caCertificatePem: services.ca.certificatePem,
      ping: () => services.store.ping(),
      now: () => services.clock.now(),
    },
  } satisfies AppOptions;
  return { app: await buildApp(options), internal: await buildInternalApp(options) };
}
