import { resolve } from "node:path";
import { parseIsoDuration } from "./domain/duration.ts";
import { AppError } from "./domain/errors.ts";
import { parseAllowedIps } from "./domain/ip-allow-list.ts";
import type { LifecyclePolicy } from "./domain/lifecycle-policy.ts";
import { parseRateLimit, type RateLimit } from "./domain/rate-limit.ts";

/** Everything the service reads from its environment, validated once and frozen. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database:
    | { readonly kind: "sqlite"; readonly file: string; readonly synchronous: "FULL" | "NORMAL" }
    | { readonly kind: "postgres"; readonly url: string };
  /** Operator token; null means "use or create `<dataDir>/admin-token`". */
  readonly adminToken: string | null;
  /** Named operator tokens (hashed), each operator's name the actor of their audit events. */
  readonly adminTokensFile: string | null;
  /** HMAC pepper for API keys; null means "use or create `<dataDir>/pepper`". */
  readonly pepper: string | null;
  readonly pepperVersion: number;
  /** Earlier peppers (`VERSION:SECRET,…`) that still verify keys hashed under them. */
  readonly previousPeppers: ReadonlyMap<number, string>;
  readonly brand: string;
  readonly publicUrl: string;
  readonly onboardingLinkTtlMs: number;
  readonly usageFlushIntervalMs: number;
  readonly lifecycle: LifecyclePolicy;
  readonly lifecycleSweepIntervalMs: number;
  readonly rotationCheckIntervalMs: number;
  readonly logLevel: string;
  readonly tls: {
    /** null: no HTTPS listener (`TLS_PORT=off`). */
    readonly port: number | null;
    readonly certFile: string | null;
    readonly keyFile: string | null;
  };
  readonly ca: { readonly certFile: string | null; readonly keyFile: string | null };
  readonly clientCertificateValidityMs: number;
  /** Header in which a TLS-terminating proxy forwards the client certificate (URL-encoded PEM or XFCC). */
  readonly clientCertHeader: string;
  /** Proxies whose client-certificate header and X-Forwarded-For are believed. */
  readonly trustedProxies: readonly string[];
  /** Whose API calls need enforced mTLS (as at the reference API, Acquiring Partners by default). */
  readonly mtlsRequiredFor: "none" | "acquiring_partners";
  /** From an account's creation, how long it may call without enforced mTLS when it is required. */
  readonly mtlsGracePeriodMs: number;
  /** How many ACTIVE Client IDs an account may hold per environment ("only one client ID"). */
  readonly clientIdsPerAccount: number;
  /** Where the README is published; error bodies link to its sections. null: no links (`DOCS_URL=off`). */
  readonly docsUrl: string | null;
  /** Default per-account budgets by category, from `RATE_LIMIT_<CATEGORY>=requests/window`. */
  readonly rateLimits: ReadonlyMap<string, RateLimit>;
  readonly authFailureLimits: { readonly perIp: RateLimit; readonly perLookupId: RateLimit };
  /** Failed operator-token attempts and unknown onboarding-link tokens per source address. */
  readonly operatorFailuresPerIp: RateLimit;
  readonly linkFailuresPerIp: RateLimit;
  readonly clientSessionTtlMs: number;
  /** Anonymous browser-session traffic: per source address and per Client ID, before any account's budget. */
  readonly clientSessionSourceLimits: { readonly perIp: RateLimit; readonly perClientId: RateLimit };
  /** Shared limits and the invalidation bus; null runs one instance on its own. */
  readonly redisUrl: string | null;
  /** How many instances share the limits: each keeps 1/n of a budget while Redis is down. */
  readonly instanceCount: number;
  /** Prefix of every Redis key and channel (one per deployment sharing a Redis). */
  readonly redisKeyPrefix: string;
  readonly cache: { readonly ttlMs: number; readonly fallbackTtlMs: number; readonly maxEntries: number };
  /** The listener of `/internal/*`, `/admin/*` and `/metrics`, apart from the partners' ones. */
  readonly internal: { readonly host: string; readonly port: number };
  /** Ed25519 private key (PKCS#8 PEM) that signs identity tokens; null: `<dataDir>/identity-key.pem`. */
  readonly identityKeyFile: string | null;
  readonly gateway: { readonly routesFile: string | null; readonly host: string; readonly port: number };
  /** A request whose headers and body have not all arrived by then is cut (408); idle keep-alive ends. */
  readonly timeouts: { readonly requestMs: number; readonly keepAliveMs: number };
}

export interface ConfigOverrides {
  host?: string;
  port?: number;
  dataDir?: string;
  gatewayRoutesFile?: string;
  gatewayPort?: number;
}

export class ConfigError extends Error {
  /** The setting at fault (the first one, when several are). */
  readonly variable: string;
  /** Every bad setting, as `VARIABLE problem`. */
  readonly problems: readonly string[];

  constructor(variable: string, problem: string, more: readonly ConfigError[] = []) {
    const problems = [`${variable} ${problem}`, ...more.flatMap((error) => error.problems)];
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration (${problems.length} settings):\n  ${problems.join("\n  ")}`,
    );
    this.name = "ConfigError";
    this.variable = variable;
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? fallback : value;
}

function optional(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function port(name: string, raw: string | number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new ConfigError(name, `must be a port number from 0 to 65535 (got "${raw}")`);
  }
  return value;
}

function duration(env: Env, name: string, fallback: string, minimumMs: number): number {
  const raw = text(env, name, fallback);
  const ms = parseIsoDuration(raw);
  if (ms === null || ms < minimumMs) {
    throw new ConfigError(
      name,
      `must be an ISO 8601 duration of at least ${minimumMs} ms, such as PT72H (got "${raw}")`,
    );
  }
  return ms;
}

function secret(env: Env, name: string): string | null {
  const value = optional(env, name);
  if (value !== null && value.length < 32) throw new ConfigError(name, "must be at least 32 characters long");
  // 32 × "a" is long but guessable: ask for what a generator produces.
  if (value !== null && new Set(value).size < 12) {
    throw new ConfigError(
      name,
      "is too weak: use at least 12 different characters, e.g. `openssl rand -base64 32`",
    );
  }
  return value;
}

function previousPeppers(env: Env): Map<number, string> {
  const peppers = new Map<number, string>();
  const raw = optional(env, "PREVIOUS_PEPPERS");
  if (raw === null) return peppers;
  for (const entry of raw.split(",")) {
    const separator = entry.indexOf(":");
    const version = Number(entry.slice(0, separator));
    const value = entry.slice(separator + 1);
    if (separator < 1 || !Number.isInteger(version) || version < 1 || value.length < 32) {
      throw new ConfigError(
        "PREVIOUS_PEPPERS",
        "must be a comma-separated list of VERSION:SECRET (secret ≥ 32 characters)",
      );
    }
    peppers.set(version, value);
  }
  return peppers;
}

function sqliteSynchronous(env: Env): "FULL" | "NORMAL" {
  const value = text(env, "SQLITE_SYNCHRONOUS", "FULL").toUpperCase();
  if (value !== "FULL" && value !== "NORMAL")
    throw new ConfigError("SQLITE_SYNCHRONOUS", "must be FULL or NORMAL");
  return value;
}

function database(env: Env, dataDir: string): Config["database"] {
  const url = optional(env, "DATABASE_URL");
  const synchronous = sqliteSynchronous(env);
  if (url === null)
    return { kind: "sqlite", file: resolve(dataDir, "partner-credentials.sqlite"), synchronous };
  if (url.startsWith("sqlite:"))
    return { kind: "sqlite", file: resolve(url.slice("sqlite:".length).replace(/^\/\//, "")), synchronous };
  if (/^postgres(ql)?:\/\/\S+$/.test(url)) return { kind: "postgres", url };
  throw new ConfigError(
    "DATABASE_URL",
    "must be postgres://… or sqlite:PATH (or unset for the embedded default)",
  );
}

function rateLimit(env: Env, name: string, fallback: string): RateLimit {
  const raw = text(env, name, fallback);
  const parsed = parseRateLimit(raw);
  if (!parsed)
    throw new ConfigError(name, `must be requests/window such as 50/1s, 1000/1m or 20000/1h (got "${raw}")`);
  return parsed;
}

/**
 * Every `RATE_LIMIT_<CATEGORY>` variable is a category; PARTNER_MANAGEMENT, CLIENT_SESSIONS and API
 * (the provider's APIs when a route names no category) always exist.
 */
function rateLimits(env: Env): Map<string, RateLimit> {
  const limits = new Map<string, RateLimit>([
    ["PARTNER_MANAGEMENT", rateLimit(env, "RATE_LIMIT_PARTNER_MANAGEMENT", "50/1s")],
    ["CLIENT_SESSIONS", rateLimit(env, "RATE_LIMIT_CLIENT_SESSIONS", "100/1s")],
    ["API", rateLimit(env, "RATE_LIMIT_API", "100/1s")],
  ]);
  for (const name of Object.keys(env).sort()) {
    const category = /^RATE_LIMIT_([A-Z][A-Z0-9_]{0,63})$/.exec(name)?.[1];
    if (category && !limits.has(category)) limits.set(category, rateLimit(env, name, ""));
  }
  return limits;
}

function redisUrl(env: Env): string | null {
  const url = optional(env, "REDIS_URL");
  if (url !== null && !/^rediss?:\/\/\S+$/.test(url))
    throw new ConfigError("REDIS_URL", "must be redis://… or rediss://…");
  return url;
}

function redisKeyPrefix(env: Env): string {
  const prefix = text(env, "REDIS_KEY_PREFIX", "partner-credentials");
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(prefix))
    throw new ConfigError("REDIS_KEY_PREFIX", "must be 1 to 64 of A-Z a-z 0-9 : _ -");
  return prefix;
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = text(env, name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(name, `must be a positive integer (got "${raw}")`);
  return value;
}

function clientCertHeader(env: Env): string {
  const name = text(env, "CLIENT_CERT_HEADER", "x-client-cert").toLowerCase();
  if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new ConfigError("CLIENT_CERT_HEADER", "must be a header name");
  return name;
}

function mtlsRequiredFor(env: Env): Config["mtlsRequiredFor"] {
  const value = text(env, "MTLS_REQUIRED_FOR", "acquiring_partners");
  if (value !== "none" && value !== "acquiring_partners") {
    throw new ConfigError("MTLS_REQUIRED_FOR", 'must be "acquiring_partners" or "none"');
  }
  return value;
}

/** The README as this service serves it (`/guide`), unless the operator publishes it elsewhere. */
function docsUrl(env: Env, publicUrl: string): string | null {
  const value = text(env, "DOCS_URL", `${publicUrl.replace(/\/$/, "")}/guide`);
  if (value === "off") return null;
  if (!/^https?:\/\/[^\s?#]+$/.test(value)) {
    throw new ConfigError(
      "DOCS_URL",
      `must be an http(s) URL without query or fragment, or off (got "${value}")`,
    );
  }
  return value;
}

function lifecycle(env: Env): LifecyclePolicy {
  const policy: LifecyclePolicy = {
    disableAfterMs: duration(env, "INACTIVITY_DISABLE_AFTER", "P60D", 60_000),
    deleteAfterMs: duration(env, "INACTIVITY_DELETE_AFTER", "P300D", 60_000),
    warnBeforeMs: duration(env, "INACTIVITY_WARNING_BEFORE", "P7D", 0),
    rotationQuietPeriodMs: duration(env, "ROTATION_QUIET_PERIOD", "PT15M", 0),
  };
  if (policy.deleteAfterMs <= policy.disableAfterMs) {
    throw new ConfigError("INACTIVITY_DELETE_AFTER", "must be longer than INACTIVITY_DISABLE_AFTER");
  }
  if (policy.warnBeforeMs >= policy.disableAfterMs) {
    throw new ConfigError("INACTIVITY_WARNING_BEFORE", "must be shorter than INACTIVITY_DISABLE_AFTER");
  }
  return Object.freeze(policy);
}

function trustedProxies(env: Env): string[] {
  const raw = optional(env, "TRUSTED_PROXIES");
  if (raw === null) return [];
  try {
    return parseAllowedIps(
      raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
  } catch (error) {
    const issue = error instanceof AppError ? error.validationErrors?.[0]?.message : undefined;
    throw new ConfigError(
      "TRUSTED_PROXIES",
      `must be a comma-separated list of IP addresses or CIDRs (${issue ?? "invalid"})`,
    );
  }
}

function pairOfFiles(
  env: Env,
  certName: string,
  keyName: string,
): { certFile: string | null; keyFile: string | null } {
  const certFile = optional(env, certName);
  const keyFile = optional(env, keyName);
  if ((certFile === null) !== (keyFile === null))
    throw new ConfigError(certName, `and ${keyName} must be set together`);
  return { certFile: certFile && resolve(certFile), keyFile: keyFile && resolve(keyFile) };
}

function optionalFile(env: Env, name: string): string | null {
  const file = optional(env, name);
  return file === null ? null : resolve(file);
}

/** What the partner CLI takes from its environment: the key and the base URL, each optional. */
export interface PartnerCliEnvironment {
  apiKey: string | null;
  baseUrl: string | null;
}

/** `PARTNER_API_KEY` and `PARTNER_API_URL`, for `partnerctl`'s partner commands (not the server). */
export function partnerCliEnvironment(env: Env = process.env): PartnerCliEnvironment {
  return { apiKey: optional(env, "PARTNER_API_KEY"), baseUrl: optional(env, "PARTNER_API_URL") };
}

/** The process environment, read here and nowhere else; command-line flags override it. */
export function loadConfigFromEnvironment(overrides: ConfigOverrides = {}): Config {
  return loadConfig(process.env, overrides);
}

/**
 * Reads and validates an environment once; command-line flags override it. Every bad setting is
 * reported at once: after a bad one, the rest is read as if it were unset.
 */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const found: ConfigError[] = [];
  let remaining: Env = env;
  for (;;) {
    try {
      const config = readConfig(remaining, overrides);
      if (found.length === 0) return config;
      break;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      found.push(error);
      // A problem that unsetting cannot remove (a flag, or a rule between settings) ends the search.
      if (remaining[error.variable] === undefined) break;
      remaining = { ...remaining, [error.variable]: undefined };
    }
  }
  const [first, ...rest] = found;
  if (!first || rest.length === 0) throw first;
  const problem = first.problems[0]?.slice(first.variable.length + 1) ?? "";
  throw new ConfigError(first.variable, problem, rest);
}

function readConfig(env: Env, overrides: ConfigOverrides): Config {
  const host = overrides.host ?? text(env, "HOST", "127.0.0.1");
  const listenPort = port("PORT", overrides.port ?? text(env, "PORT", "8080"));
  const dataDir = resolve(overrides.dataDir ?? text(env, "DATA_DIR", "./data"));
  const brand = text(env, "BRAND", "klarna");
  if (!/^[a-z][a-z0-9]{0,19}$/.test(brand)) {
    throw new ConfigError("BRAND", "must be 1 to 20 lower-case letters or digits, starting with a letter");
  }
  const publicUrl = text(
    env,
    "PUBLIC_URL",
    `http://${host.includes(":") ? `[${host}]` : host}:${listenPort}`,
  );
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(publicUrl)) {
    throw new ConfigError("PUBLIC_URL", `must be an http(s) base URL without query (got "${publicUrl}")`);
  }
  const pepperVersion = Number(text(env, "PEPPER_VERSION", "1"));
  if (!Number.isInteger(pepperVersion) || pepperVersion < 1) {
    throw new ConfigError("PEPPER_VERSION", "must be a positive integer");
  }
  return Object.freeze({
    host,
    port: listenPort,
    dataDir,
    database: Object.freeze(database(env, dataDir)),
    adminToken: secret(env, "ADMIN_TOKEN"),
    adminTokensFile: optionalFile(env, "ADMIN_TOKENS_FILE"),
    pepper: secret(env, "PEPPER"),
    pepperVersion,
    previousPeppers: previousPeppers(env),
    brand,
    publicUrl,
    onboardingLinkTtlMs: duration(env, "ONBOARDING_LINK_TTL", "PT72H", 60_000),
    usageFlushIntervalMs: duration(env, "USAGE_FLUSH_INTERVAL", "PT5S", 100),
    lifecycle: lifecycle(env),
    lifecycleSweepIntervalMs: duration(env, "LIFECYCLE_SWEEP_INTERVAL", "PT1H", 1000),
    rotationCheckIntervalMs: duration(env, "ROTATION_CHECK_INTERVAL", "PT30S", 1000),
    logLevel: text(env, "LOG_LEVEL", "info"),
    tls: Object.freeze({
      port: text(env, "TLS_PORT", "8443") === "off" ? null : port("TLS_PORT", text(env, "TLS_PORT", "8443")),
      ...pairOfFiles(env, "TLS_CERT_FILE", "TLS_KEY_FILE"),
    }),
    ca: Object.freeze(pairOfFiles(env, "CA_CERT_FILE", "CA_KEY_FILE")),
    clientCertificateValidityMs: duration(env, "CLIENT_CERTIFICATE_VALIDITY", "P365D", 3_600_000),
    clientCertHeader: clientCertHeader(env),
    trustedProxies: Object.freeze(trustedProxies(env)),
    mtlsRequiredFor: mtlsRequiredFor(env),
    mtlsGracePeriodMs: duration(env, "MTLS_GRACE_PERIOD", "P90D", 0),
    clientIdsPerAccount: positiveInteger(env, "CLIENT_IDS_PER_ACCOUNT", 1),
    docsUrl: docsUrl(env, publicUrl),
    rateLimits: rateLimits(env),
    authFailureLimits: Object.freeze({
      perIp: rateLimit(env, "AUTH_FAILURES_PER_IP", "20/1m"),
      perLookupId: rateLimit(env, "AUTH_FAILURES_PER_KEY", "10/1m"),
    }),
    operatorFailuresPerIp: rateLimit(env, "OPERATOR_FAILURES_PER_IP", "10/1m"),
    linkFailuresPerIp: rateLimit(env, "LINK_FAILURES_PER_IP", "20/1m"),
    clientSessionTtlMs: duration(env, "CLIENT_SESSION_TTL", "PT15M", 60_000),
    clientSessionSourceLimits: Object.freeze({
      perIp: rateLimit(env, "CLIENT_SESSIONS_PER_IP", "20/1s"),
      perClientId: rateLimit(env, "CLIENT_SESSIONS_PER_CLIENT_ID", "50/1s"),
    }),
    redisUrl: redisUrl(env),
    instanceCount: positiveInteger(env, "INSTANCE_COUNT", 1),
    redisKeyPrefix: redisKeyPrefix(env),
    cache: Object.freeze({
      ttlMs: duration(env, "VERIFICATION_CACHE_TTL", "PT5S", 0),
      fallbackTtlMs: duration(env, "CACHE_FALLBACK_TTL", "PT5S", 0),
      maxEntries: positiveInteger(env, "VERIFICATION_CACHE_SIZE", 50_000),
    }),
    internal: Object.freeze({
      host: text(env, "INTERNAL_HOST", "127.0.0.1"),
      port: port("INTERNAL_PORT", text(env, "INTERNAL_PORT", "8081")),
    }),
    identityKeyFile: optionalFile(env, "IDENTITY_KEY_FILE"),
    timeouts: Object.freeze({
      requestMs: duration(env, "REQUEST_TIMEOUT", "PT30S", 1000),
      keepAliveMs: duration(env, "KEEP_ALIVE_TIMEOUT", "PT72S", 1000),
    }),
    gateway: Object.freeze({
      routesFile:
        overrides.gatewayRoutesFile !== undefined
          ? resolve(overrides.gatewayRoutesFile)
          : optionalFile(env, "GATEWAY_ROUTES"),
      host: text(env, "GATEWAY_HOST", "127.0.0.1"),
      port: port("GATEWAY_PORT", overrides.gatewayPort ?? text(env, "GATEWAY_PORT", "8090")),
    }),
  });
}
