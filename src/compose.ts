import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Clock, Random } from "./domain/runtime.ts";
import type { PepperRing } from "./domain/secret-hash.ts";
import { buildApp } from "./http/app.ts";
import { buildInternalApp } from "./http/internal-app.ts";
import type { App, AppOptions } from "./http/types.ts";
import { boundCounter, Metrics } from "./metrics.ts";
import type { NamedOperator } from "./operator-tokens-file.ts";
import { AccessPolicy } from "./services/access-policy.ts";
import { AccountSecurityService } from "./services/account-security.ts";
import { AccountService } from "./services/accounts.ts";
import { AllowedOriginService } from "./services/allowed-origins.ts";
import { AuditService } from "./services/audit.ts";
import { AuthFailureGuard } from "./services/auth-failure-guard.ts";
import { Authenticator, type VerifiedKeys } from "./services/authenticator.ts";
import type { CertificateAuthority } from "./services/certificate-authority.ts";
import { ClientSessionService } from "./services/client-sessions.ts";
import { CredentialService } from "./services/credentials.ts";
import { FailedAuthenticationAudit } from "./services/failed-authentications.ts";
import { FailureThrottle } from "./services/failure-throttle.ts";
import { IdempotencyService } from "./services/idempotency.ts";
import { IdentitySigner } from "./services/identity-signer.ts";
import { LifecycleService } from "./services/lifecycle.ts";
import { LifecycleScheduler } from "./services/lifecycle-scheduler.ts";
import { OnboardingService } from "./services/onboarding.ts";
import type { RateCounter } from "./services/rate-limiter.ts";
import { memoryRateCounter } from "./services/rate-limiter.ts";
import { RateLimitService } from "./services/rate-limits.ts";
import { RequestAuthorizer } from "./services/request-authorizer.ts";
import type { ServiceRuntime } from "./services/runtime.ts";
import { ServiceTokenService } from "./services/service-tokens.ts";
import { UsageRecorder } from "./services/usage-recorder.ts";
import { cachingStore } from "./store/caching-store.ts";
import { type InvalidationBus, LocalBus } from "./store/invalidation-bus.ts";
import type { Store } from "./store/port.ts";
import { VerificationCache } from "./store/verification-cache.ts";

export interface ComposeInput {
  config: Config;
  store: Store;
  /** Shared infrastructure (Redis) when several instances run; in-process by default. */
  shared?: { bus: InvalidationBus; counter: RateCounter; redisUp: () => boolean; close(): Promise<void> };
  logger: Logger;
  clock: Clock;
  random: Random;
  adminToken: string;
  /** Named operator tokens (ADMIN_TOKENS_FILE), besides `adminToken`. */
  operators?: readonly NamedOperator[];
  pepper: string;
  ca: CertificateAuthority;
  /** Signs identity tokens; a key of this process's own when absent. */
  identity?: IdentitySigner;
}

export interface Composed {
  /** The partners' application: Partner Management API, onboarding pages, browser sessions, docs. */
  app: App;
  /** The operator's and the provider's: `/admin/*`, `/internal/*`, `/metrics`. Closed with `app`. */
  internal: App;
  metrics: Metrics;
  usage: UsageRecorder;
  lifecycle: LifecycleService;
}

/** What every authorization needs, wherever it runs: `serve`, the gateway, or the in-process verifier. */
export interface AuthorizationParts {
  runtime: ServiceRuntime;
  config: Config;
  peppers: PepperRing;
  usage: UsageRecorder;
  counter: RateCounter;
  ca: CertificateAuthority;
  metrics: Metrics;
  onboarding: OnboardingService;
  /** Errors of writes done after the answer (they are logged, never thrown at a request). */
  onBackgroundError: (error: unknown) => void;
  /** Keys already verified (the verification cache): a hit costs no HMAC. */
  verified?: VerifiedKeys;
}

export interface AuthorizationServices {
  accounts: AccountService;
  authenticator: Authenticator;
  access: AccessPolicy;
  rateLimits: RateLimitService;
  authGuard: AuthFailureGuard;
  authorizer: RequestAuthorizer;
}

/** The one authorization decision and the services it is made of. */
export function composeAuthorization(parts: AuthorizationParts): AuthorizationServices {
  const { runtime, config, metrics } = parts;
  const accounts = new AccountService(runtime, parts.onboarding);
  const authenticator = new Authenticator(runtime, {
    brand: config.brand,
    peppers: parts.peppers,
    verified: parts.verified ?? null,
  });
  const access = new AccessPolicy(runtime, parts.ca);
  const rateLimits = new RateLimitService(runtime, { counter: parts.counter, defaults: config.rateLimits });
  const authGuard = new AuthFailureGuard(parts.counter, config.authFailureLimits);
  const authentications = boundCounter(metrics.authentications);
  const authorizations = boundCounter(metrics.authorizations);
  const authorizer = new RequestAuthorizer({
    authenticator,
    guard: authGuard,
    access,
    accounts,
    rateLimits,
    usage: parts.usage,
    failures: new FailedAuthenticationAudit(runtime, parts.counter, parts.onBackgroundError),
    clock: runtime.clock,
    brand: config.brand,
    mtlsRequirement: { requiredFor: config.mtlsRequiredFor, gracePeriodMs: config.mtlsGracePeriodMs },
    counters: {
      authentication: (result) => authentications(result).inc(),
      rateLimitDenied: (category) => metrics.rateLimitDenials.inc({ category }),
      decided: (entry, outcome) => authorizations(entry, outcome).inc(),
    },
  });
  return { accounts, authenticator, access, rateLimits, authGuard, authorizer };
}

/**
 * The verification cache over the store, with its invalidation bus and pre-bound hit/miss counters;
 * `verified` is the same cache's keys already verified, for the authenticator.
 */
export function cachedStore(
  store: Store,
  options: { config: Config; bus: InvalidationBus; clock: Clock; metrics: Metrics },
): { store: Store; verified: VerificationCache } {
  const lookups = boundCounter(options.metrics.cacheLookups);
  const hits = lookups("hit");
  const misses = lookups("miss");
  const cache = new VerificationCache({
    ...options.config.cache,
    bus: options.bus,
    clock: options.clock,
    counters: { hit: () => hits.inc(), miss: () => misses.inc() },
  });
  return { store: cachingStore(store, { cache, bus: options.bus }), verified: cache };
}

export function pepperRing(config: Config, pepper: string): PepperRing {
  const current = { version: config.pepperVersion, secret: pepper };
  const byVersion = new Map(
    [...config.previousPeppers].map(([version, secret]) => [version, { version, secret }]),
  );
  byVersion.set(current.version, current);
  return { current, byVersion };
}

/**
 * Rows per write transaction of the background jobs (sweep batches, last-use flush slices). On
 * SQLite a transaction runs on the event loop from start to commit, so it stays short enough for
 * requests to go on between two; PostgreSQL runs it on its own connection.
 */
function writeBatch(config: Config): number {
  return config.database.kind === "sqlite" ? 100 : 500;
}

/** Wires services over the store into the HTTP app; closing the app flushes usage and closes the store. */
export async function compose(input: ComposeInput): Promise<Composed> {
  const { config } = input;
  const bus = input.shared?.bus ?? new LocalBus();
  const metrics = new Metrics({
    busState: () => bus.state(),
    redisUp: () => input.shared?.redisUp() ?? null,
  });
  const { store, verified } = cachedStore(input.store, { config, bus, clock: input.clock, metrics });
  const runtime: ServiceRuntime = { store, clock: input.clock, random: input.random };
  const peppers = pepperRing(config, input.pepper);
  const keys = { brand: config.brand, peppers };
  const usage = new UsageRecorder(store, { sliceSize: writeBatch(config) });
  const idempotency = new IdempotencyService(runtime);
  const onboarding = new OnboardingService(runtime, {
    ...keys,
    publicUrl: config.publicUrl,
    linkTtlMs: config.onboardingLinkTtlMs,
  });
  const counter = input.shared?.counter ?? memoryRateCounter();
  const authorization = composeAuthorization({
    runtime,
    config,
    peppers,
    usage,
    counter,
    ca: input.ca,
    metrics,
    onboarding,
    onBackgroundError: (error) => input.logger.error({ err: error }, "background write failed"),
    verified,
  });
  const { access, rateLimits } = authorization;
  const origins = new AllowedOriginService(runtime);
  const options = {
    brand: config.brand,
    docsUrl: config.docsUrl,
    publicUrl: config.publicUrl,
    internalAddress: `${config.internal.host.includes(":") ? `[${config.internal.host}]` : config.internal.host}:${config.internal.port}`,
    timeouts: config.timeouts,
    metrics,
    transport: {
      trustedProxies: config.trustedProxies,
      clientCertHeader: config.clientCertHeader,
    },
    mtlsRequiredFor: config.mtlsRequiredFor,
    adminToken: input.adminToken,
    operators: input.operators ?? [],
    logger: input.logger,
    services: {
      ...authorization,
      credentials: new CredentialService(
        runtime,
        { ...keys, categoryExists: (category) => config.rateLimits.has(category.toUpperCase()) },
        { clientIdsPerAccount: config.clientIdsPerAccount },
      ),
      onboarding,
      audit: new AuditService(runtime),
      idempotency,
      origins,
      serviceTokens: new ServiceTokenService(runtime, { cacheTtlMs: config.cache.fallbackTtlMs }),
      operatorGuard: new FailureThrottle(counter, config.operatorFailuresPerIp, "operator-fail-ip"),
      linkGuard: new FailureThrottle(counter, config.linkFailuresPerIp, "link-fail-ip"),
      identity: input.identity ?? (await IdentitySigner.ephemeral(input.clock)),
      sessions: new ClientSessionService(runtime, {
        origins,
        usage,
        rateLimits,
        perSource: { counter, ...config.clientSessionSourceLimits },
        brand: config.brand,
        serverSecret: input.pepper,
        ttlMs: config.clientSessionTtlMs,
      }),
      security: new AccountSecurityService(runtime, {
        ca: input.ca,
        access,
        certificateValidityMs: config.clientCertificateValidityMs,
      }),
      caCertificatePem: input.ca.certificatePem,
      ping: () => store.ping(),
      sharing: () => ({
        invalidation_bus: bus.state(),
        rate_limits: input.shared ? (input.shared.redisUp() ? "SHARED" : "PER_INSTANCE") : "LOCAL",
      }),
      now: () => input.clock.now(),
    },
  } satisfies AppOptions;
  const app = await buildApp(options);
  const internal = await buildInternalApp(options);
  const lifecycle = new LifecycleService(runtime, config.lifecycle, { batchSize: writeBatch(config) });
  const scheduler = new LifecycleScheduler(lifecycle, {
    sweepIntervalMs: config.lifecycleSweepIntervalMs,
    rotationIntervalMs: config.rotationCheckIntervalMs,
    onReport: (report) => {
      for (const t of report.transitions) metrics.lifecycleTransitions.inc({ rule: t.rule });
      input.logger.info({ transitions: report.transitions.length, as_of: report.asOf }, "lifecycle sweep");
    },
    onError: (error) => input.logger.error({ err: error }, "lifecycle sweep failed"),
    housekeeping: async () => {
      await idempotency.purgeExpired();
    },
  });
  usage.start(config.usageFlushIntervalMs, (error) =>
    input.logger.error({ err: error }, "last-use flush failed"),
  );
  scheduler.start();
  app.addHook("onClose", async () => {
    try {
      await internal.close();
      await scheduler.stop();
      await usage.stop();
    } finally {
      await input.shared?.close();
      await store.close();
    }
  });
  return { app, internal, usage, lifecycle, metrics };
}
