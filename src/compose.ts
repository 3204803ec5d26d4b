import type { Logger } from "pino";
import type { Config } from "./config.ts";
import type { Clock, Random } from "./domain/runtime.ts";
import type { PepperRing } from "./domain/secret-hash.ts";
import { buildApp } from "./http/app.ts";
import type { App } from "./http/types.ts";
import { Metrics } from "./metrics.ts";
import { AccessPolicy } from "./services/access-policy.ts";
import { AccountSecurityService } from "./services/account-security.ts";
import { AccountService } from "./services/accounts.ts";
import { AllowedOriginService } from "./services/allowed-origins.ts";
import { AuditService } from "./services/audit.ts";
import { AuthFailureGuard } from "./services/auth-failure-guard.ts";
import { Authenticator } from "./services/authenticator.ts";
import type { CertificateAuthority } from "./services/certificate-authority.ts";
import { ClientSessionService } from "./services/client-sessions.ts";
import { CredentialService } from "./services/credentials.ts";
import { IdempotencyService } from "./services/idempotency.ts";
import { type InvalidationBus, LocalBus } from "./services/invalidation-bus.ts";
import { LifecycleService } from "./services/lifecycle.ts";
import { LifecycleScheduler } from "./services/lifecycle-scheduler.ts";
import { OnboardingService } from "./services/onboarding.ts";
import type { RateCounter } from "./services/rate-limiter.ts";
import { memoryRateCounter } from "./services/rate-limiter.ts";
import { RateLimitService } from "./services/rate-limits.ts";
import type { ServiceRuntime } from "./services/runtime.ts";
import { UsageRecorder } from "./services/usage-recorder.ts";
import { cachingStore } from "./store/caching-store.ts";
import type { Store } from "./store/port.ts";

export interface ComposeInput {
  config: Config;
  store: Store;
  /** Shared infrastructure (Redis) when several instances run; in-process by default. */
  shared?: { bus: InvalidationBus; counter: RateCounter; redisUp: () => boolean; close(): Promise<void> };
  logger: Logger;
  clock: Clock;
  random: Random;
  adminToken: string;
  pepper: string;
  ca: CertificateAuthority;
}

export interface Composed {
  app: App;
  metrics: Metrics;
  usage: UsageRecorder;
  lifecycle: LifecycleService;
}

export function pepperRing(config: Config, pepper: string): PepperRing {
  const current = { version: config.pepperVersion, secret: pepper };
  const byVersion = new Map(
    [...config.previousPeppers].map(([version, secret]) => [version, { version, secret }]),
  );
  byVersion.set(current.version, current);
  return { current, byVersion };
}

/** Wires services over the store into the HTTP app; closing the app flushes usage and closes the store. */
export async function compose(input: ComposeInput): Promise<Composed> {
  const { config } = input;
  const bus = input.shared?.bus ?? new LocalBus();
  const metrics = new Metrics({
    busState: () => bus.state(),
    redisUp: () => input.shared?.redisUp() ?? null,
  });
  const store = cachingStore(input.store, {
    ...config.cache,
    bus,
    clock: input.clock,
    counters: {
      hit: () => metrics.cacheLookups.inc({ result: "hit" }),
      miss: () => metrics.cacheLookups.inc({ result: "miss" }),
    },
  });
  const runtime: ServiceRuntime = { store, clock: input.clock, random: input.random };
  const peppers = pepperRing(config, input.pepper);
  const keys = { brand: config.brand, peppers };
  const usage = new UsageRecorder(store);
  const idempotency = new IdempotencyService(runtime, { serverSecret: input.pepper });
  const onboarding = new OnboardingService(runtime, {
    ...keys,
    publicUrl: config.publicUrl,
    linkTtlMs: config.onboardingLinkTtlMs,
  });
  const access = new AccessPolicy(runtime, input.ca);
  const counter = input.shared?.counter ?? memoryRateCounter();
  const rateLimits = new RateLimitService(counter, config.rateLimits);
  const origins = new AllowedOriginService(runtime);
  const app = await buildApp({
    brand: config.brand,
    metrics,
    transport: {
      trustedProxies: config.trustedProxies,
      clientCertHeader: config.clientCertHeader,
    },
    mtlsRequiredFor: config.mtlsRequiredFor,
    adminToken: input.adminToken,
    logger: input.logger,
    services: {
      accounts: new AccountService(runtime, onboarding),
      credentials: new CredentialService(runtime, keys),
      onboarding,
      audit: new AuditService(runtime),
      authenticator: new Authenticator(runtime, { brand: config.brand, peppers, usage }),
      idempotency,
      access,
      origins,
      rateLimits,
      authGuard: new AuthFailureGuard(counter, config.authFailureLimits),
      sessions: new ClientSessionService(runtime, {
        origins,
        usage,
        rateLimits,
        brand: config.brand,
        serverSecret: input.pepper,
        ttlMs: config.clientSessionTtlMs,
      }),
      security: new AccountSecurityService(runtime, {
        ca: input.ca,
        access,
        certificateValidityMs: config.clientCertificateValidityMs,
      }),
      ping: () => store.ping(),
      sharing: () => ({
        invalidation_bus: bus.state(),
        rate_limits: input.shared ? (input.shared.redisUp() ? "SHARED" : "PER_INSTANCE") : "LOCAL",
      }),
      now: () => input.clock.now(),
    },
  });
  const lifecycle = new LifecycleService(runtime, config.lifecycle);
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
      await scheduler.stop();
      await usage.stop();
    } finally {
      await input.shared?.close();
      await store.close();
    }
  });
  return { app, usage, lifecycle, metrics };
}
