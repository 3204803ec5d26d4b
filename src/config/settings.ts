import { text } from "./parse.ts";
import type { Rule, Section, SettingTable, Values } from "./setting.ts";
import { consoleSettings } from "./settings-console.ts";
import { certificates, lifecycle, rateLimits } from "./settings-credentials.ts";
import { leakReports } from "./settings-leaks.ts";
import { gateway, instances, listeners, presentation, secrets, storage } from "./settings-service.ts";
import { webhooks } from "./settings-webhooks.ts";

/**
 * Every environment variable the service reads, under the headings of docs/configuration.md (whose
 * tables `npm run docs:config` generates from these declarations). Bad settings are reported in this
 * order; a default may derive only from settings above it.
 */
export const sections = [
  { title: "Listeners", settings: listeners },
  { title: "Storage", settings: storage },
  { title: "Secrets and keys", settings: secrets },
  { title: "Brand, documentation and logs", settings: presentation },
  { title: "Onboarding, sessions and credential lifecycle", settings: lifecycle },
  { title: "TLS, client certificates and proxies", settings: certificates },
  { title: "Rate limits", settings: rateLimits },
  { title: "Leaked-key reports", settings: leakReports },
  { title: "Lifecycle webhooks", settings: webhooks },
  { title: "Partner console", settings: consoleSettings },
  { title: "Several instances and caching", settings: instances },
  { title: "Gateway (`partnerctl gateway`)", settings: gateway },
] as const satisfies readonly Section[];

export const settings = {
  ...listeners,
  ...storage,
  ...secrets,
  ...presentation,
  ...lifecycle,
  ...certificates,
  ...rateLimits,
  ...leakReports,
  ...webhooks,
  ...consoleSettings,
  ...instances,
  ...gateway,
} satisfies SettingTable;

export type SettingValues = Values<typeof settings>;

const setTogether = (cert: "TLS_CERT_FILE" | "CA_CERT_FILE", key: "TLS_KEY_FILE" | "CA_KEY_FILE") =>
  ({
    variable: cert,
    problem: `and ${key} must be set together`,
    inputs: [cert, key],
    holds: (values) => (values[cert] === null) === (values[key] === null),
  }) satisfies Rule<SettingValues>;

/** Rules between settings, each reported on its `variable`. */
export const rules: readonly Rule<SettingValues>[] = [
  {
    variable: "INACTIVITY_DELETE_AFTER",
    problem: "must be longer than INACTIVITY_DISABLE_AFTER",
    inputs: ["INACTIVITY_DELETE_AFTER", "INACTIVITY_DISABLE_AFTER"],
    holds: (values) => values.INACTIVITY_DELETE_AFTER > values.INACTIVITY_DISABLE_AFTER,
  },
  {
    variable: "INACTIVITY_WARNING_BEFORE",
    problem: "must be shorter than INACTIVITY_DISABLE_AFTER",
    inputs: ["INACTIVITY_WARNING_BEFORE", "INACTIVITY_DISABLE_AFTER"],
    holds: (values) => values.INACTIVITY_WARNING_BEFORE < values.INACTIVITY_DISABLE_AFTER,
  },
  setTogether("TLS_CERT_FILE", "TLS_KEY_FILE"),
  setTogether("CA_CERT_FILE", "CA_KEY_FILE"),
];

/** What `partnerctl`'s partner commands read on the partner's machine (not the server). */
export const partnerCliSettings = {
  PARTNER_API_KEY: {
    fallback: null,
    shownDefault: "the profile's `api_key`",
    parse: text,
    description:
      "the API key the commands authenticate with (never a flag, so it stays out of shell history)",
  },
  PARTNER_API_URL: {
    fallback: null,
    shownDefault: "the profile's `base_url`, else `http://127.0.0.1:8080`",
    parse: text,
    description: "the service's base URL; `--url` overrides it",
  },
} satisfies SettingTable;
