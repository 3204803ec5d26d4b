import type { LifecyclePolicy } from "../domain/lifecycle-policy.ts";
import type { RateLimit } from "../domain/rate-limit.ts";

/** An environment: variable names to their text (unset variables may be absent or undefined). */
export type Env = Readonly<Record<string, string | undefined>>;

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
  /** Root of the browser sessions' signing key; null means "use or create `<dataDir>/session-secret`". */
  readonly sessionSecret: string | null;
  readonly brand: string;
  readonly publicUrl: string;
  readonly onboardingLinkTtlMs: number;
  readonly usageFlushIntervalMs: number;
  /** A use this close to the last one written for a key (same address) is not written again. */
  readonly lastUsePrecisionMs: number;
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
  /** Leaked-key reports: GitHub's signing keys, what a report of a live key does, reports allowed. */
  readonly leakReports: {
    /** GitHub's published public keys (re-read when the file changes); null: signed reports refused. */
    readonly keysFile: string | null;
    readonly action: "disable" | "notify";
    /** Per GitHub key identifier, and per service token on `/internal/v1/leaks`. */
    readonly rateLimit: RateLimit;
  };
  /** Lifecycle webhooks: the dispatcher's and the notices' intervals, and what targets may be. */
  readonly webhooks: {
    /** http and private addresses allowed: development and tests only. */
    readonly allowInsecureTargets: boolean;
    /** A CA trusted for webhook targets besides the public roots; null: none. */
    readonly caFile: string | null;
    readonly dispatchIntervalMs: number;
    readonly noticeIntervalMs: number;
  };
  /** The partner console: session limits, invitation lifetime, failed sign-ins allowed. */
  readonly console: {
    readonly sessionIdleMs: number;
    readonly sessionMaxMs: number;
    /** How long a session still signing in (ENROL, SECOND_FACTOR) lasts at most. */
    readonly signInStepMs: number;
    readonly invitationTtlMs: number;
    readonly signInLimit: RateLimit;
    /** argon2id's memory cost of new password hashes, in KiB. */
    readonly passwordMemoryKib: number;
  };
  /** Shared limits and the invalidation bus; null runs one instance on its own. */
  readonly redisUrl: string | null;
  /** How many instances share the limits: each keeps 1/n of a budget while Redis is down. */
  readonly instanceCount: number;
  /** Prefix of every Redis key and channel (one per deployment sharing a Redis). */
  readonly redisKeyPrefix: string;
  readonly cache: {
    readonly ttlMs: number;
    readonly fallbackTtlMs: number;
    readonly maxEntries: number;
    /** Credentials held in cached pages of credential lists (0: none cached). */
    readonly listCredentials: number;
  };
  /** The listener of `/internal/*`, `/admin/*` and `/metrics`, apart from the partners' ones. */
  readonly internal: { readonly host: string; readonly port: number };
  /** Ed25519 private key (PKCS#8 PEM) that signs identity tokens; null: `<dataDir>/identity-key.pem`. */
  readonly identityKeyFile: string | null;
  readonly gateway: { readonly routesFile: string | null; readonly host: string; readonly port: number };
  /** A request whose headers and body have not all arrived by then is cut (408); idle keep-alive ends. */
  readonly timeouts: { readonly requestMs: number; readonly keepAliveMs: number };
}

/** Command-line flags, each winning over the variable it stands for (`--port` over `PORT`…). */
export interface ConfigOverrides {
  host?: string;
  port?: number;
  dataDir?: string;
  gatewayRoutesFile?: string;
  gatewayPort?: number;
}

/** What the partner CLI takes from its environment: the key and the base URL, each optional. */
export interface PartnerCliEnvironment {
  apiKey: string | null;
  baseUrl: string | null;
}
