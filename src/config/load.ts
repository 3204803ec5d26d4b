import type { LifecyclePolicy } from "../domain/lifecycle-policy.ts";
import { ConfigError, type ConfigProblem } from "./error.ts";
import { readSettings } from "./read.ts";
import { isPattern } from "./setting.ts";
import { partnerCliSettings, rules, type SettingValues, settings } from "./settings.ts";
import type { Config, ConfigOverrides, Env, PartnerCliEnvironment } from "./types.ts";

/**
 * Reads and checks an environment once; command-line flags override it. Every bad setting and
 * every broken rule between settings is reported at once, in the order of the reference.
 */
export function configFrom(env: Env, overrides: ConfigOverrides = {}): Config {
  const { values, problems } = readSettings(settings, env, overrides);
  const error = ConfigError.of(inReferenceOrder([...problems, ...brokenRules(values)]));
  if (error) throw error;
  // With no problem, every setting has its value.
  return toConfig(values as SettingValues);
}

/** `PARTNER_API_KEY` and `PARTNER_API_URL`, for `partnerctl`'s partner commands (not the server). */
export function partnerCliEnvironmentFrom(env: Env): PartnerCliEnvironment {
  const { values, problems } = readSettings(partnerCliSettings, env);
  const error = ConfigError.of(problems);
  if (error) throw error;
  return { apiKey: values.PARTNER_API_KEY ?? null, baseUrl: values.PARTNER_API_URL ?? null };
}

/** The rules whose inputs all have values (bad ones read as their defaults) and that do not hold. */
function brokenRules(values: Partial<SettingValues>): ConfigProblem[] {
  return rules
    .filter((rule) => rule.inputs.every((input) => values[input] !== undefined))
    .filter((rule) => !rule.holds(values as SettingValues))
    .map(({ variable, problem }) => ({ variable, problem }));
}

/** Problems sorted by where their setting is declared (a family's member where the family is). */
function inReferenceOrder(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const declared = Object.entries(settings);
  const position = (variable: string): number =>
    declared.findIndex(([name, setting]) =>
      isPattern(setting)
        ? setting.pattern.test(variable) && !Object.hasOwn(settings, variable)
        : name === variable,
    );
  return [...problems].sort((a, b) => position(a.variable) - position(b.variable));
}

function toConfig(v: SettingValues): Config {
  const lifecycle: LifecyclePolicy = {
    disableAfterMs: v.INACTIVITY_DISABLE_AFTER,
    deleteAfterMs: v.INACTIVITY_DELETE_AFTER,
    warnBeforeMs: v.INACTIVITY_WARNING_BEFORE,
    rotationQuietPeriodMs: v.ROTATION_QUIET_PERIOD,
  };
  return Object.freeze({
    host: v.HOST,
    port: v.PORT,
    dataDir: v.DATA_DIR,
    database: Object.freeze(
      v.DATABASE_URL.kind === "sqlite"
        ? { kind: "sqlite" as const, file: v.DATABASE_URL.file, synchronous: v.SQLITE_SYNCHRONOUS }
        : { kind: "postgres" as const, url: v.DATABASE_URL.url },
    ),
    adminToken: v.ADMIN_TOKEN,
    adminTokensFile: v.ADMIN_TOKENS_FILE,
    pepper: v.PEPPER,
    pepperVersion: v.PEPPER_VERSION,
    previousPeppers: v.PREVIOUS_PEPPERS ?? new Map<number, string>(),
    sessionSecret: v.SESSION_SECRET,
    brand: v.BRAND,
    publicUrl: v.PUBLIC_URL,
    onboardingLinkTtlMs: v.ONBOARDING_LINK_TTL,
    usageFlushIntervalMs: v.USAGE_FLUSH_INTERVAL,
    lastUsePrecisionMs: v.LAST_USE_PRECISION,
    lifecycle: Object.freeze(lifecycle),
    lifecycleSweepIntervalMs: v.LIFECYCLE_SWEEP_INTERVAL,
    rotationCheckIntervalMs: v.ROTATION_CHECK_INTERVAL,
    logLevel: v.LOG_LEVEL,
    tls: Object.freeze({ port: v.TLS_PORT, certFile: v.TLS_CERT_FILE, keyFile: v.TLS_KEY_FILE }),
    ca: Object.freeze({ certFile: v.CA_CERT_FILE, keyFile: v.CA_KEY_FILE }),
    clientCertificateValidityMs: v.CLIENT_CERTIFICATE_VALIDITY,
    clientCertHeader: v.CLIENT_CERT_HEADER,
    trustedProxies: Object.freeze([...(v.TRUSTED_PROXIES ?? [])]),
    mtlsRequiredFor: v.MTLS_REQUIRED_FOR,
    mtlsGracePeriodMs: v.MTLS_GRACE_PERIOD,
    clientIdsPerAccount: v.CLIENT_IDS_PER_ACCOUNT,
    docsUrl: v.DOCS_URL,
    // PARTNER_MANAGEMENT, CLIENT_SESSIONS and API (a route naming no category) always exist.
    rateLimits: new Map([
      ["PARTNER_MANAGEMENT", v.RATE_LIMIT_PARTNER_MANAGEMENT],
      ["CLIENT_SESSIONS", v.RATE_LIMIT_CLIENT_SESSIONS],
      ["API", v.RATE_LIMIT_API],
      ...v["RATE_LIMIT_<CATEGORY>"],
    ]),
    authFailureLimits: Object.freeze({ perIp: v.AUTH_FAILURES_PER_IP, perLookupId: v.AUTH_FAILURES_PER_KEY }),
    operatorFailuresPerIp: v.OPERATOR_FAILURES_PER_IP,
    linkFailuresPerIp: v.LINK_FAILURES_PER_IP,
    clientSessionTtlMs: v.CLIENT_SESSION_TTL,
    clientSessionSourceLimits: Object.freeze({
      perIp: v.CLIENT_SESSIONS_PER_IP,
      perClientId: v.CLIENT_SESSIONS_PER_CLIENT_ID,
    }),
    leakReports: Object.freeze({
      keysFile: v.SECRET_SCANNING_KEYS_FILE,
      action: v.LEAKED_KEY_ACTION,
      rateLimit: v.LEAK_REPORTS_RATE_LIMIT,
    }),
    webhooks: Object.freeze({
      allowInsecureTargets: v.WEBHOOK_ALLOW_INSECURE_TARGETS === "true",
      caFile: v.WEBHOOK_CA_FILE,
      dispatchIntervalMs: v.WEBHOOK_DISPATCH_INTERVAL,
      noticeIntervalMs: v.WEBHOOK_NOTICE_INTERVAL,
    }),
    console: Object.freeze({
      sessionIdleMs: v.CONSOLE_SESSION_IDLE,
      sessionMaxMs: v.CONSOLE_SESSION_MAX,
      signInStepMs: v.CONSOLE_SIGN_IN_STEP_TTL,
      invitationTtlMs: v.CONSOLE_INVITATION_TTL,
      signInLimit: v.CONSOLE_SIGN_IN_LIMIT,
      passwordMemoryKib: v.CONSOLE_PASSWORD_MEMORY,
    }),
    redisUrl: v.REDIS_URL,
    instanceCount: v.INSTANCE_COUNT,
    redisKeyPrefix: v.REDIS_KEY_PREFIX,
    cache: Object.freeze({
      ttlMs: v.VERIFICATION_CACHE_TTL,
      fallbackTtlMs: v.CACHE_FALLBACK_TTL,
      maxEntries: v.VERIFICATION_CACHE_SIZE,
      listCredentials: v.LIST_CACHE_SIZE,
    }),
    internal: Object.freeze({ host: v.INTERNAL_HOST, port: v.INTERNAL_PORT }),
    identityKeyFile: v.IDENTITY_KEY_FILE,
    timeouts: Object.freeze({ requestMs: v.REQUEST_TIMEOUT, keepAliveMs: v.KEEP_ALIVE_TIMEOUT }),
    gateway: Object.freeze({ routesFile: v.GATEWAY_ROUTES, host: v.GATEWAY_HOST, port: v.GATEWAY_PORT }),
  });
}
