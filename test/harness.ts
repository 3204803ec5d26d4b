import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { LightMyRequestResponse } from "fastify";
import { buildApps } from "../src/apps.ts";
import { buildServices, type Services } from "../src/compose.ts";
import { type Config, loadConfig } from "../src/config.ts";
import type { Clock } from "../src/domain/runtime.ts";
import { deriveKey, pepperRing } from "../src/domain/secret-hash.ts";
import type { App } from "../src/http/types.ts";
import { type JobName, type Jobs, startJobs } from "../src/jobs.ts";
import { createLogger } from "../src/logger.ts";
import { loadOperatorTokens } from "../src/operator-tokens-file.ts";
import { connectSharedRedis } from "../src/redis/shared-redis.ts";
import { CertificateAuthority } from "../src/services/certificate-authority.ts";
import type { LifecycleService } from "../src/services/lifecycle.ts";
import type { Ticker } from "../src/services/periodic-jobs.ts";
import type { UsageRecorder } from "../src/services/usage-recorder.ts";
import type { Store } from "../src/store/port.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { systemRandom } from "../src/system.ts";
import { dumpSchema, openTestPostgresStore } from "./postgres.ts";

export const ADMIN_TOKEN = "test-operator-token-0123456789abcdef0123456789";
export const PEPPER = "test-pepper-0123456789abcdef0123456789abcdef";
export const SESSION_SECRET = "test-session-secret-0123456789abcdef01234567";

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  #now: number;

  constructor(start = "2026-01-01T00:00:00.000Z") {
    this.#now = Date.parse(start);
  }

  now(): Date {
    return new Date(this.#now);
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}

export const DAY_MS = 86_400_000;

/**
 * A ticker the test moves by hand: `fire(job)` is one tick of that job, and resolves when the run it
 * started has ended. A job that was never started (or was stopped) does nothing.
 */
export class ManualTicker implements Ticker {
  readonly #ticks = new Map<string, () => Promise<void>>();

  every(name: string, _intervalMs: number, tick: () => Promise<void>): { cancel(): void } {
    this.#ticks.set(name, tick);
    return { cancel: () => this.#ticks.delete(name) };
  }

  /** The jobs running on this ticker. */
  get started(): string[] {
    return [...this.#ticks.keys()];
  }

  fire(job: JobName): Promise<void> {
    return this.#ticks.get(job)?.() ?? Promise.resolve();
  }
}

/**
 * Clients at the documentation addresses (RFC 5737, RFC 3849) reach the service through a TLS-terminating
 * proxy there, so their plain-HTTP requests count as HTTPS (a direct plain-HTTP client is refused).
 */
export const BEHIND_TLS_PROXY = {
  TRUSTED_PROXIES: "192.0.2.0/24,198.51.100.0/24,203.0.113.0/24,2001:db8::/32",
};

export interface Harness {
  app: App;
  /** The internal listener's app: `/admin/*`, `/internal/*`, `/metrics`. */
  internal: App;
  /** The store as opened (without the verification cache in front). */
  store: Store;
  /** Everything `buildServices` built: nothing runs until `startJobs`. */
  services: Services;
  usage: UsageRecorder;
  lifecycle: LifecycleService;
  ca: CertificateAuthority;
  clock: ManualClock;
  /** What the jobs of `startJobs` run on. */
  ticker: ManualTicker;
  dataDir: string;
  /** Which store backs this run: SQLite files, or PostgreSQL with TEST_STORE=postgres. */
  backend: "sqlite" | "postgres";
  /** Starts the jobs as `serve` does (all of them by default), on `ticker`; `close` stops them. */
  startJobs(options?: { only?: readonly JobName[] }): Jobs;
  /**
   * Another instance of the service over the same store, with these settings besides the harness's
   * (a rotated pepper, say). Its `close` leaves the store to this harness.
   */
  anotherInstance(env: Record<string, string>): Promise<{ app: App; internal: App; close(): Promise<void> }>;
  /** Everything the store holds, as bytes (files on SQLite, every row on PostgreSQL); call before close. */
  storedBytes(): Promise<Buffer>;
  /** Every log line written so far. */
  logs(): string;
  /**
   * Closes the apps, stops the jobs, closes the services and the store; then deletes the data unless
   * `keepData`. Only the first call does so: later ones wait for it.
   */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** The whole service over a fresh SQLite file, with an injectable clock and captured logs. */
export async function startHarness(
  env: Record<string, string> = {},
  options: { wrapStore?: (store: Store) => Store } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-test-"));
  // Suites other than the rate-limit ones should never meet a limit.
  const generous = {
    RATE_LIMIT_PARTNER_MANAGEMENT: "1000000/1s",
    RATE_LIMIT_CLIENT_SESSIONS: "1000000/1s",
    AUTH_FAILURES_PER_IP: "1000000/1m",
    AUTH_FAILURES_PER_KEY: "1000000/1m",
    OPERATOR_FAILURES_PER_IP: "1000000/1m",
    LINK_FAILURES_PER_IP: "1000000/1m",
    CLIENT_SESSIONS_PER_IP: "1000000/1s",
    CLIENT_SESSIONS_PER_CLIENT_ID: "1000000/1s",
    // argon2id at its least allowed memory: a console sign-in costs ~25 ms instead of ~170 ms.
    CONSOLE_PASSWORD_MEMORY: "19456",
  };
  const settings = { DATA_DIR: dataDir, PUBLIC_URL: "https://partners.example", ...generous, ...env };
  const config = loadConfig(settings);
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const logger = createLogger({ level: "debug", destination });
  const clock = new ManualClock();
  const ticker = new ManualTicker();
  const dbFile = join(dataDir, "test.sqlite");
  const backend = process.env.TEST_STORE === "postgres" ? "postgres" : "sqlite";
  const schema = `test_${randomBytes(6).toString("hex")}`;
  const opened = backend === "postgres" ? await openTestPostgresStore(schema) : await openSqliteStore(dbFile);
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  const ca = await CertificateAuthority.ephemeral({
    now: new Date("2025-01-01T00:00:00Z"),
    random: systemRandom,
  });
  // With TEST_SHARED=redis (the "postgres" project in CI), limits and invalidations go through Redis.
  const shared =
    process.env.TEST_SHARED === "redis" && process.env.TEST_REDIS_URL
      ? connectSharedRedis(process.env.TEST_REDIS_URL, {
          instanceCount: 1,
          keyPrefix: `test-${randomBytes(6).toString("hex")}`,
          logger,
        })
      : undefined;
  await shared?.ready(2_000);
  /** The service as `serve` builds it, over `over`, with the harness's secrets unless `config` names others. */
  const build = async (config: Config, over: Store, sharedHere: typeof shared) => {
    const services = await buildServices(config, {
      store: over,
      shared: sharedHere,
      logger,
      clock,
      random: systemRandom,
      keys: {
        peppers: pepperRing(
          { version: config.pepperVersion, secret: config.pepper ?? PEPPER },
          config.previousPeppers,
        ),
        ca,
        webhookSecrets: deriveKey(config.sessionSecret ?? SESSION_SECRET, "webhook-secrets/v1"),
        consoleTotp: deriveKey(config.sessionSecret ?? SESSION_SECRET, "console-totp/v1"),
      },
    });
    const apps = await buildApps(services, {
      adminToken: ADMIN_TOKEN,
      operators: loadOperatorTokens(config.adminTokensFile),
      sessionSecret: config.sessionSecret ?? SESSION_SECRET,
    });
    await apps.app.ready();
    await apps.internal.ready();
    return { services, ...apps };
  };
  const { services, app, internal } = await build(config, store, shared);
  let jobs: Jobs | null = null;
  const others: { close(): Promise<void> }[] = [];
  let closing: Promise<void> | undefined;
  return {
    app,
    internal,
    store,
    services,
    usage: services.usage,
    lifecycle: services.lifecycle,
    ca,
    clock,
    ticker,
    dataDir,
    backend,
    startJobs: (jobOptions = {}) => {
      if (jobs) throw new Error("The jobs are started already");
      jobs = startJobs(services, { ...jobOptions, ticker });
      return jobs;
    },
    anotherInstance: async (more) => {
      // The store stays open: it is this harness's to close.
      const borrowed = new Proxy(store, {
        get: (target, property, receiver) =>
          property === "close" ? async () => undefined : Reflect.get(target, property, receiver),
      });
      const other = await build(loadConfig({ ...settings, ...more }), borrowed, undefined);
      const close = async (): Promise<void> => {
        await Promise.all([other.app.close(), other.internal.close()]);
        await other.services.close();
      };
      others.push({ close });
      return { app: other.app, internal: other.internal, close };
    },
    storedBytes: async () =>
      backend === "postgres"
        ? dumpSchema(schema)
        : Buffer.concat(
            readdirSync(dataDir)
              .filter((file) => file.startsWith("test.sqlite"))
              .map((file) => readFileSync(join(dataDir, file))),
          ),
    logs: () => lines.join(""),
    close: (closeOptions = {}) => {
      closing ??= (async () => {
        try {
          await Promise.all([app.close(), internal.close(), ...others.splice(0).map((o) => o.close())]);
          await jobs?.stop();
        } finally {
          await services.close();
          if (!closeOptions.keepData) rmSync(dataDir, { recursive: true, force: true });
        }
      })();
      return closing;
    },
  };
}

export function json<T = Record<string, unknown>>(response: LightMyRequestResponse): T {
  return JSON.parse(response.body) as T;
}

export const basic = (apiKey: string): Record<string, string> => ({ authorization: `Basic ${apiKey}` });
export const operator = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface OnboardedPartner {
  accountId: string;
  apiKey: string;
  credentialId: string;
}

/** Operator creates an Acquiring Partner; the partner claims its link. */
export async function onboardAcquiringPartner(h: Harness, name = "Acme Payments"): Promise<OnboardedPartner> {
  const created = await h.internal.inject({
    method: "POST",
    url: "/admin/v1/accounts",
    headers: operator,
    payload: { name },
  });
  if (created.statusCode !== 201) throw new Error(`create account: ${created.statusCode} ${created.body}`);
  const { onboarding_url } = json<{ onboarding_url: string }>(created);
  const claim = await h.app.inject({
    method: "POST",
    url: new URL(onboarding_url).pathname,
    headers: { accept: "application/json" },
  });
  if (claim.statusCode !== 201) throw new Error(`claim: ${claim.statusCode} ${claim.body}`);
  const body = json<{ account_id: string; api_key: string; credential_id: string }>(claim);
  return { accountId: body.account_id, apiKey: body.api_key, credentialId: body.credential_id };
}

/** An API key of a Partner Account, created by its Acquiring Partner. */
export async function onboardPartnerAccount(
  h: Harness,
  parent: OnboardedPartner,
  name: string,
): Promise<OnboardedPartner> {
  const created = await h.app.inject({
    method: "POST",
    url: "/v1/accounts",
    headers: basic(parent.apiKey),
    payload: { name },
  });
  if (created.statusCode !== 200)
    throw new Error(`create partner account: ${created.statusCode} ${created.body}`);
  const accountId = json<{ account_id: string }>(created).account_id;
  const key = await h.app.inject({
    method: "POST",
    url: `/v1/accounts/${accountId}/credentials`,
    headers: basic(parent.apiKey),
    payload: { type: "API", environment: "LIVE", description: "partner server" },
  });
  if (key.statusCode !== 200) throw new Error(`create partner key: ${key.statusCode} ${key.body}`);
  const body = json<{ api_key: string; credential_id: string }>(key);
  return { accountId, apiKey: body.api_key, credentialId: body.credential_id };
}
