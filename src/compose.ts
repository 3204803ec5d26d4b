import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Clock, Random } from "./domain/runtime.ts";
import type { PepperRing } from "./domain/secret-hash.ts";
import type { AppServices } from "./http/types.ts";
import { boundCounter, Metrics } from "./metrics.ts";
import { noSigningKeys, SecretScanningKeysFile } from "./secret-scanning-keys.ts";
import { AccessPolicy } from "./services/access-policy.ts";
import { AccountSecurityService } from "./services/account-security.ts";
import { AccountService } from "./services/accounts.ts";
import { AllowedOriginService } from "./services/allowed-origins.ts";
import { AuditService } from "./services/audit.ts";
import { AuthFailureGuard } from "./services/auth-failure-guard.ts";
import { Authenticator, type VerifiedKeys } from "./services/authenticator.ts";
import type { CertificateAuthority } from "./services/certificate-authority.ts";
import { ConsoleIdentityService } from "./services/console-identity.ts";
import { CredentialService } from "./services/credentials.ts";
import { FailedAuthenticationAudit } from "./services/failed-authentications.ts";
import { FailureThrottle } from "./services/failure-throttle.ts";
import { IdempotencyService } from "./services/idempotency.ts";
import { IdentitySigner } from "./services/identity-signer.ts";
import { LeakReportService } from "./services/leak-reports.ts";
import { LifecycleService } from "./services/lifecycle.ts";
import { OnboardingService } from "./services/onboarding.ts";
import type { RateCounter } from "./services/rate-limiter.ts";
import { memoryRateCounter } from "./services/rate-limiter.ts";
import { RateLimitService } from "./services/rate-limits.ts";
import { RequestAuthorizer } from "./services/request-authorizer.ts";
import type { ServiceRuntime } from "./services/runtime.ts";
import { ServiceTokenService } from "./services/service-tokens.ts";
import { UsageRecorder, type UsageWriter } from "./services/usage-recorder.ts";
import { WebhookDispatcher } from "./services/webhook-dispatcher.ts";
import { LifecycleNotices } from "./services/webhook-notices.ts";
import type { WebhookTransport } from "./services/webhook-transport.ts";
import { WebhookService } from "./services/webhooks.ts";
import { cachingStore } from "./store/caching-store.ts";
import { type InvalidationBus, LocalBus } from "./store/invalidation-bus.ts";
import { ListingCache } from "./store/listing-cache.ts";
import type { Store } from "./store/port.ts";
import { VerificationCache } from "./store/verification-cache.ts";
import { httpsTransport } from "./webhooks/https-transport.ts";

/** Shared infrastructure (Redis) for several instances: limits and invalidations of the fleet. */
export interface SharedInfrastructure {
  bus: InvalidationBus;
  counter: RateCounter;
  redisUp: () => boolean;
  close(): Promise<void>;
}

/** What the services are built over; the caller opens them, and `close()` of the services closes them. */
export interface ServiceDeps {
  store: Store;
  /**
   * Where last-use records and addresses seen are written; the store by default (`serve` on
   * SQLite: backgroundWriter).
   */
  usageWriter?: UsageWriter;
  /** Redis, when several instances run; in-process limits and invalidations otherwise. */
  shared?: SharedInfrastructure | undefined;
  logger: Logger;
  clock: Clock;
  random: Random;
  /** Where webhooks are sent through; HTTPS to vetted addresses (`httpsTransport`) by default. */
  webhookTransport?: WebhookTransport;
}

/**
 * The key material of the services that authenticate and issue: without it (`lifecycle sweep`),
 * only the services that need none are built.
 */
export interface ServiceKeys {
  /** Hashes API keys, and only that: PEPPER with its earlier versions (`pepperRing`). */
  peppers: PepperRing;
  /** Issues client certificates and checks presented ones. */
  ca: CertificateAuthority;
  /** Signs identity tokens; a key of this process's own when absent. */
  identity?: IdentitySigner;
  /**
   * Encrypts the webhook endpoints' signing secrets: `deriveKey(SESSION_SECRET, "webhook-secrets/v1")`.
   * Absent (gateway, verifier), a key of this process's own: those never deliver webhooks.
   */
  webhookSecrets?: Uint8Array;
  /** Encrypts the console users' TOTP secrets: `deriveKey(SESSION_SECRET, "console-totp/v1")`. */
  consoleTotp?: Uint8Array;
}

/** The services every entry point has: the store (behind the verification cache) and the work over it. */
export interface CoreServices {
  config: Config;
  logger: Logger;
  clock: Clock;
  random: Random;
  /** The store behind the verification cache: every change is announced on the invalidation bus. */
  store: Store;
  metrics: Metrics;
  /** Where changes are announced, so every instance's verification cache drops what they concern. */
  bus: InvalidationBus;
  usage: UsageRecorder;
  lifecycle: LifecycleService;
  /** The time-based lifecycle events (rotation ending, certificate expiring, mTLS enforced). */
  notices: LifecycleNotices;
  idempotency: IdempotencyService;
  /** Whether invalidations and rate limits are shared between instances right now. */
  sharing: AppServices["sharing"];
  /**
   * Writes the last-use records still pending, then closes Redis and the store. Call it last:
   * after the apps are closed and the jobs (`startJobs`) have stopped.
   */
  close(): Promise<void>;
}

/** Every service: the core and those that authenticate, authorize and issue. */
export interface Services extends CoreServices, AuthorizationServices {
  ca: CertificateAuthority;
  identity: IdentitySigner;
  counter: RateCounter;
  onboarding: OnboardingService;
  credentials: CredentialService;
  audit: AuditService;
  origins: AllowedOriginService;
  serviceTokens: ServiceTokenService;
  security: AccountSecurityService;
  operatorGuard: FailureThrottle;
  linkGuard: FailureThrottle;
  webhooks: WebhookService;
  /** Sends the outbox of webhook deliveries (the `webhook-dispatch` job). */
  webhookDispatcher: WebhookDispatcher;
  leakReports: LeakReportService;
  /** Console users, their invitations, sign-in with a second factor, and sessions. */
  consoleIdentity: ConsoleIdentityService;
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
 * The verification cache and the credential-list cache over the store, with their invalidation bus
 * and the verification cache's pre-bound hit/miss counters;
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
  const listLookups = boundCounter(options.metrics.listCacheLookups);
  const listHits = listLookups("hit");
  const listMisses = listLookups("miss");
  const listings = new ListingCache({
    ...options.config.cache,
    maxCredentials: options.config.cache.listCredentials,
    bus: options.bus,
    clock: options.clock,
    counters: { hit: () => listHits.inc(), miss: () => listMisses.inc() },
  });
  return { store: cachingStore(store, { cache, listings, bus: options.bus }), verified: cache };
}

/**
 * Rows per write transaction of the background jobs (sweep batches, last-use flush slices). On
 * SQLite a transaction runs on the event loop from start to commit, so it stays short enough for
 * requests to go on between two; PostgreSQL runs it on its own connection.
 */
export function writeBatch(config: Config): number {
  return config.database.kind === "sqlite" ? 100 : 500;
}

/**
 * Builds the services over an open store, and nothing else: no timer, no listener, no connection
 * of its own; nothing runs once it returns. `startJobs` starts the periodic work, `buildApps` the
 * HTTP apps. Without `keys`, only the core is built (what `lifecycle sweep` needs).
 */
export async function buildServices(
  config: Config,
  deps: ServiceDeps & { keys: ServiceKeys },
): Promise<Services>;
export async function buildServices(config: Config, deps: ServiceDeps): Promise<CoreServices>;
export async function buildServices(
  config: Config,
  deps: ServiceDeps & { keys?: ServiceKeys },
): Promise<CoreServices | Services> {
  const { shared, logger, clock, random } = deps;
  const bus = shared?.bus ?? new LocalBus();
  const metrics = new Metrics({ busState: () => bus.state(), redisUp: () => shared?.redisUp() ?? null });
  const { store, verified } = cachedStore(deps.store, { config, bus, clock, metrics });
  const runtime: ServiceRuntime = { store, clock, random };
  const usage = new UsageRecorder(deps.usageWriter ?? store, {
    sliceSize: writeBatch(config),
    precisionMs: config.lastUsePrecisionMs,
    onAddressesDropped: (requests) => metrics.addressesSeenDropped.inc(requests),
  });
  const core: CoreServices = {
    config,
    logger,
    clock,
    random,
    store,
    metrics,
    bus,
    usage,
    lifecycle: new LifecycleService(runtime, config.lifecycle, { batchSize: writeBatch(config) }),
    notices: new LifecycleNotices(runtime, { batchSize: writeBatch(config) }),
    idempotency: new IdempotencyService(runtime),
    sharing: () => ({
      invalidation_bus: bus.state(),
      rate_limits: shared ? (shared.redisUp() ? "SHARED" : "PER_INSTANCE") : "LOCAL",
    }),
    close: async () => {
      try {
        await usage.flush();
      } finally {
        try {
          await shared?.close();
        } finally {
          await store.close();
        }
      }
    },
  };
  const { keys } = deps;
  if (!keys) return core;

  const { peppers, ca } = keys;
  const webhookSecrets = keys.webhookSecrets ?? random.bytes(32);
  const webhookTransport =
    deps.webhookTransport ??
    httpsTransport({
      allowInsecure: config.webhooks.allowInsecureTargets,
      extraCaPem: config.webhooks.caFile === null ? null : readFileSync(config.webhooks.caFile, "utf8"),
    });
  const onboarding = new OnboardingService(runtime, {
    brand: config.brand,
    peppers,
    publicUrl: config.publicUrl,
    linkTtlMs: config.onboardingLinkTtlMs,
  });
  const counter = shared?.counter ?? memoryRateCounter();
  const authorization = composeAuthorization({
    runtime,
    config,
    peppers,
    usage,
    counter,
    ca,
    metrics,
    onboarding,
    onBackgroundError: (error) => logger.error({ err: error }, "background write failed"),
    verified,
  });
  return {
    ...core,
    ...authorization,
    ca,
    identity: keys.identity ?? (await IdentitySigner.ephemeral(clock)),
    counter,
    onboarding,
    credentials: new CredentialService(
      runtime,
      {
        brand: config.brand,
        peppers,
        categoryExists: (category) => config.rateLimits.has(category.toUpperCase()),
      },
      { clientIdsPerAccount: config.clientIdsPerAccount },
    ),
    audit: new AuditService(runtime),
    origins: new AllowedOriginService(runtime),
    serviceTokens: new ServiceTokenService(runtime, { cacheTtlMs: config.cache.fallbackTtlMs }),
    security: new AccountSecurityService(runtime, {
      ca,
      access: authorization.access,
      certificateValidityMs: config.clientCertificateValidityMs,
    }),
    operatorGuard: new FailureThrottle(counter, config.operatorFailuresPerIp, "operator-fail-ip"),
    linkGuard: new FailureThrottle(counter, config.linkFailuresPerIp, "link-fail-ip"),
    webhooks: new WebhookService(runtime, {
      secretsKey: webhookSecrets,
      transport: webhookTransport,
      allowInsecureTargets: config.webhooks.allowInsecureTargets,
    }),
    webhookDispatcher: new WebhookDispatcher(runtime, {
      secretsKey: webhookSecrets,
      transport: webhookTransport,
    }),
    consoleIdentity: new ConsoleIdentityService(runtime, {
      publicUrl: config.publicUrl,
      invitationTtlMs: config.console.invitationTtlMs,
      session: {
        idleMs: config.console.sessionIdleMs,
        maxMs: config.console.sessionMaxMs,
        signInStepMs: config.console.signInStepMs,
      },
      totpKey: keys.consoleTotp ?? random.bytes(32),
      signInLimit: config.console.signInLimit,
      passwordMemoryKib: config.console.passwordMemoryKib,
      counter,
      issuer: config.brand,
      onBackgroundError: (error) =>
        logger.warn({ err: error }, "the audit event of a refused console sign-in could not be stored"),
    }),
    leakReports: new LeakReportService(
      runtime,
      {
        authenticator: authorization.authenticator,
        keys:
          config.leakReports.keysFile === null
            ? noSigningKeys
            : new SecretScanningKeysFile(config.leakReports.keysFile, {
                onReloadError: (error) =>
                  logger.warn(
                    { err: error },
                    "SECRET_SCANNING_KEYS_FILE could not be read again; keeping the keys read before",
                  ),
              }),
        counter,
      },
      { brand: config.brand, action: config.leakReports.action, rateLimit: config.leakReports.rateLimit },
    ),
  };
}
