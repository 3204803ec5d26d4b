import { addresses, duration, file, headerName, oneOf, positiveInteger, rateLimit } from "./parse.ts";
import type { SettingTable } from "./setting.ts";

/** How credentials live, how partners' clients prove who they are, and how much they may call. */
export const lifecycle = {
  ONBOARDING_LINK_TTL: {
    fallback: "PT72H",
    parse: duration(60_000),
    description:
      "link lifetime, ISO 8601 duration; at least `PT1M` (60 000 ms), a shorter one stops the start",
  },
  USAGE_FLUSH_INTERVAL: {
    fallback: "PT5S",
    parse: duration(100),
    description: "how often last-use records are written",
  },
  LAST_USE_PRECISION: {
    fallback: "PT1M",
    parse: duration(0),
    description:
      "a use this close to the last one written for a key, from the same address, is not written again (`PT0S`: every use reaches the next flush)",
  },
  INACTIVITY_DISABLE_AFTER: {
    fallback: "P60D",
    parse: duration(60_000),
    description: "idle time after which an active credential is disabled",
  },
  INACTIVITY_DELETE_AFTER: {
    fallback: "P300D",
    parse: duration(60_000),
    description: "idle time after which a disabled credential is deleted",
  },
  INACTIVITY_WARNING_BEFORE: {
    fallback: "P7D",
    parse: duration(0),
    description: "how long before the disable the warning event is written",
  },
  LIFECYCLE_SWEEP_INTERVAL: {
    fallback: "PT1H",
    parse: duration(1000),
    description: "how often `serve` applies the lifecycle rules",
  },
  ROTATION_CHECK_INTERVAL: {
    fallback: "PT30S",
    parse: duration(1000),
    description: "how often `serve` ends rotation overlaps",
  },
  ROTATION_QUIET_PERIOD: {
    fallback: "PT15M",
    parse: duration(0),
    description: "`WHEN_OLD_KEY_IDLE`: how long the old key must be unused",
  },
  CLIENT_SESSION_TTL: {
    fallback: "PT15M",
    parse: duration(60_000),
    description: "lifetime of browser session tokens",
  },
} satisfies SettingTable;

export const certificates = {
  TLS_CERT_FILE: {
    fallback: null,
    shownDefault: "issued by the CA",
    parse: file,
    description: "the HTTPS listener's certificate",
  },
  TLS_KEY_FILE: {
    fallback: null,
    shownDefault: "issued by the CA",
    parse: file,
    description: "the HTTPS listener's key",
  },
  CA_CERT_FILE: {
    fallback: null,
    shownDefault: "`DATA_DIR/ca-cert.pem`",
    parse: file,
    description: "certificate of the CA that signs client certificates",
  },
  CA_KEY_FILE: {
    fallback: null,
    shownDefault: "`DATA_DIR/ca-key.pem`",
    parse: file,
    description: "key of the CA that signs client certificates",
  },
  CLIENT_CERTIFICATE_VALIDITY: {
    fallback: "P365D",
    parse: duration(3_600_000),
    description: "validity of issued client certificates",
  },
  TRUSTED_PROXIES: {
    fallback: null,
    parse: addresses,
    description: "comma-separated addresses/CIDRs whose forwarded headers are believed",
  },
  CLIENT_CERT_HEADER: {
    fallback: "X-Client-Cert",
    parse: headerName,
    description: "header carrying a proxy-forwarded client certificate",
  },
  MTLS_REQUIRED_FOR: {
    fallback: "acquiring_partners",
    parse: oneOf(["acquiring_partners", "none"], { problem: 'must be "acquiring_partners" or "none"' }),
    description: "whose calls need enforced mTLS; `none` turns the requirement off",
  },
  MTLS_GRACE_PERIOD: {
    fallback: "P90D",
    parse: duration(0),
    description:
      "from an account's creation, how long it may call without enforced mTLS (deadline headers meanwhile)",
  },
  CLIENT_IDS_PER_ACCOUNT: {
    fallback: "1",
    parse: positiveInteger,
    description: "ACTIVE Client IDs an account may hold per environment",
  },
} satisfies SettingTable;

const budget = "(`requests/window`, window in s, m or h)";

export const rateLimits = {
  RATE_LIMIT_PARTNER_MANAGEMENT: {
    fallback: "50/1s",
    parse: rateLimit,
    description: `default per-account budget of every \`/v1/account…\` endpoint ${budget}`,
  },
  RATE_LIMIT_CLIENT_SESSIONS: {
    fallback: "100/1s",
    parse: rateLimit,
    description: "default per-account budget of `POST /v1/client/sessions`, by the Client ID's account",
  },
  RATE_LIMIT_API: {
    fallback: "100/1s",
    parse: rateLimit,
    description: "default per-account budget of the provider's APIs when a route names no category",
  },
  "RATE_LIMIT_<CATEGORY>": {
    pattern: /^RATE_LIMIT_([A-Z][A-Z0-9_]{0,63})$/,
    shownDefault: "—",
    parse: rateLimit,
    description: `default per-account budgets of any other category an operator defines ${budget}`,
  },
  AUTH_FAILURES_PER_IP: {
    fallback: "20/1m",
    parse: rateLimit,
    description: "failed authentications per source address before 429",
  },
  AUTH_FAILURES_PER_KEY: {
    fallback: "10/1m",
    parse: rateLimit,
    description: "failed authentications per attempted key before 429",
  },
  OPERATOR_FAILURES_PER_IP: {
    fallback: "10/1m",
    parse: rateLimit,
    description: "failed operator-token attempts per source address before 429 (the real token always works)",
  },
  LINK_FAILURES_PER_IP: {
    fallback: "20/1m",
    parse: rateLimit,
    description: "unknown onboarding-link tokens per source address before 429 (real links always open)",
  },
  CLIENT_SESSIONS_PER_IP: {
    fallback: "20/1s",
    parse: rateLimit,
    description:
      "browser-session creations per source address, before the account's `CLIENT_SESSIONS` budget",
  },
  CLIENT_SESSIONS_PER_CLIENT_ID: {
    fallback: "50/1s",
    parse: rateLimit,
    description: "browser-session creations per Client ID, before the account's `CLIENT_SESSIONS` budget",
  },
} satisfies SettingTable;
