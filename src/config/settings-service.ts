import { join } from "node:path";
import {
  databaseUrl,
  duration,
  file,
  integerAtLeast,
  matching,
  oneOf,
  port,
  portOrOff,
  positiveInteger,
  secret,
  text,
  urlOrOff,
  versionedSecrets,
} from "./parse.ts";
import type { SettingTable } from "./setting.ts";

/** The service's own settings: listeners, storage, secrets, presentation, instances, gateway. */
export const listeners = {
  HOST: { fallback: "127.0.0.1", parse: text, override: "host", description: "listen address" },
  PORT: { fallback: "8080", parse: port, override: "port", description: "listen port" },
  PUBLIC_URL: {
    fallback: {
      from: ["HOST", "PORT"],
      text: ({ HOST, PORT }) => `http://${HOST.includes(":") ? `[${HOST}]` : HOST}:${PORT}`,
    },
    shownDefault: "`http://HOST:PORT`",
    parse: matching(
      /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/,
      (raw) => `must be an http(s) base URL without query (got "${raw}")`,
    ),
    description: "base of onboarding links",
  },
  TLS_PORT: { fallback: "8443", parse: portOrOff, description: "HTTPS listener (`off` to disable)" },
  INTERNAL_HOST: {
    fallback: "127.0.0.1",
    parse: text,
    description: "the internal listener's address: `/admin`, `/internal`, `/metrics`",
  },
  INTERNAL_PORT: { fallback: "8081", parse: port, description: "the internal listener's port" },
  REQUEST_TIMEOUT: {
    fallback: "PT30S",
    parse: duration(1000),
    description:
      "a request whose headers and body have not all arrived by then is cut with `408` (every listener)",
  },
  KEEP_ALIVE_TIMEOUT: {
    fallback: "PT72S",
    parse: duration(1000),
    description:
      "idle keep-alive connections are closed after this (longer than common load balancers' 60 s)",
  },
} satisfies SettingTable;

export const storage = {
  DATA_DIR: {
    fallback: "./data",
    parse: file,
    override: "dataDir",
    description: "SQLite file, generated secrets",
  },
  DATABASE_URL: {
    fallback: {
      from: ["DATA_DIR"],
      text: ({ DATA_DIR }) => `sqlite:${join(DATA_DIR, "partner-credentials.sqlite")}`,
    },
    shownDefault: "`sqlite:<DATA_DIR>/partner-credentials.sqlite`",
    parse: databaseUrl,
    description: "`sqlite:PATH` or `postgres://…`",
  },
  SQLITE_SYNCHRONOUS: {
    fallback: "FULL",
    parse: oneOf(["FULL", "NORMAL"], {
      normalize: (raw) => raw.toUpperCase(),
      problem: "must be FULL or NORMAL",
    }),
    description:
      "`FULL`: every acknowledged change survives a power loss (measured 0.59 × the commits per second of `NORMAL`); `NORMAL`: survives a process crash, may lose the last commits on power loss",
  },
} satisfies SettingTable;

export const secrets = {
  ADMIN_TOKEN: {
    fallback: null,
    shownDefault: "generated into `DATA_DIR/admin-token` (0600)",
    parse: secret,
    description:
      "operator token, ≥ 32 characters and ≥ 12 different ones (weak values stop the start; `PEPPER` likewise)",
  },
  ADMIN_TOKENS_FILE: {
    fallback: null,
    parse: file,
    description:
      'named operator tokens, `{"operators": [{"name", "token_sha256"}]}`; each operator\'s name is the actor of their audit events (`operator:alice`). `partnerctl admin operators new --name alice` makes a token and its entry; remove the entry and restart to revoke',
  },
  PEPPER: {
    fallback: null,
    shownDefault: "generated into `DATA_DIR/pepper` (0600)",
    parse: secret,
    description: "HMAC key for API keys, ≥ 32 characters; losing it invalidates every key",
  },
  PEPPER_VERSION: { fallback: "1", parse: positiveInteger, description: "version recorded with new hashes" },
  PREVIOUS_PEPPERS: {
    fallback: null,
    parse: versionedSecrets,
    description: "`VERSION:SECRET,…`: older peppers that still verify keys hashed under them",
  },
  SESSION_SECRET: {
    fallback: null,
    shownDefault: "generated into `DATA_DIR/session-secret` (0600)",
    parse: secret,
    description:
      "root of the key that signs browser session tokens, and of nothing else, ≥ 32 characters; with `INSTANCE_COUNT` above 1, the same on every instance (`serve` refuses to generate one); rotating it ends the sessions, rotating `PEPPER` does not",
  },
  IDENTITY_KEY_FILE: {
    fallback: null,
    shownDefault: "`DATA_DIR/identity-key.pem` (generated, 0600)",
    parse: file,
    description: "Ed25519 key (PKCS#8 PEM) that signs `X-Klarna-Identity`",
  },
} satisfies SettingTable;

export const presentation = {
  BRAND: {
    fallback: "klarna",
    parse: matching(
      /^[a-z][a-z0-9]{0,19}$/,
      "must be 1 to 20 lower-case letters or digits, starting with a letter",
    ),
    description: "key prefix and header prefix (`Klarna-Correlation-Id`)",
  },
  DOCS_URL: {
    fallback: { from: ["PUBLIC_URL"], text: ({ PUBLIC_URL }) => `${PUBLIC_URL.replace(/\/$/, "")}/guide` },
    shownDefault: "`PUBLIC_URL/guide`",
    parse: urlOrOff,
    description:
      "where the README is published: error bodies' `doc_url` links its sections (`off`: no links)",
  },
  LOG_LEVEL: { fallback: "info", parse: text, description: "pino level" },
} satisfies SettingTable;

export const instances = {
  REDIS_URL: {
    fallback: null,
    parse: matching(/^rediss?:\/\/\S+$/, "must be redis://… or rediss://…"),
    description: "shared rate limits and the invalidation bus for several instances",
  },
  INSTANCE_COUNT: {
    fallback: "1",
    parse: positiveInteger,
    description: "instances sharing the limits (each keeps 1/n of a budget while Redis is down)",
  },
  REDIS_KEY_PREFIX: {
    fallback: "partner-credentials",
    parse: matching(/^[A-Za-z0-9:_-]{1,64}$/, "must be 1 to 64 of A-Z a-z 0-9 : _ -"),
    description: "prefix of every Redis key and channel",
  },
  VERIFICATION_CACHE_TTL: {
    fallback: "PT5S",
    parse: duration(0),
    description: "how long a cached authentication read is trusted while the bus works",
  },
  CACHE_FALLBACK_TTL: {
    fallback: "PT5S",
    parse: duration(0),
    description: "the bound on staleness without a working bus (also for unknown keys)",
  },
  VERIFICATION_CACHE_SIZE: {
    fallback: "50000",
    parse: positiveInteger,
    description:
      "entries per kind (credentials, accounts, verified keys) per instance, least recently used dropped first; about 1.3 KB per hot key",
  },
  LIST_CACHE_SIZE: {
    fallback: "5000",
    parse: integerAtLeast(0, "credentials"),
    description:
      "credentials held in cached pages of credential lists per instance, least recently used page dropped first (about 1.5 KB each with their JSON); 0 turns the cache off",
  },
} satisfies SettingTable;

export const gateway = {
  GATEWAY_ROUTES: {
    fallback: null,
    parse: file,
    override: "gatewayRoutesFile",
    description: "`partnerctl gateway`: routes file",
  },
  GATEWAY_HOST: { fallback: "127.0.0.1", parse: text, description: "`partnerctl gateway`: listen address" },
  GATEWAY_PORT: {
    fallback: "8090",
    parse: port,
    override: "gatewayPort",
    description: "`partnerctl gateway`: listen port",
  },
} satisfies SettingTable;
