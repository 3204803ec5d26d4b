import { file, oneOf, rateLimit } from "./parse.ts";
import type { SettingTable } from "./setting.ts";

/** Reports of leaked keys: GitHub's secret-scanning partner program and the provider's own scanners. */
export const leakReports = {
  SECRET_SCANNING_KEYS_FILE: {
    fallback: null,
    shownDefault: "none: every signed report is refused (`401`)",
    parse: file,
    description:
      'the public keys that sign GitHub\'s secret-scanning reports, in the JSON GitHub publishes (`{"public_keys": [{"key_identifier", "key", "is_current"}]}`); read again whenever the file changes, no restart needed',
  },
  LEAKED_KEY_ACTION: {
    fallback: "disable",
    parse: oneOf(["disable", "notify"], {
      normalize: (raw) => raw.toLowerCase(),
      problem: 'must be "disable" or "notify"',
    }),
    description:
      "what a report of a live API key does: `disable` it at once (reason `LEAKED`), or only `notify` (the `credential.leaked` audit event and webhook)",
  },
  LEAK_REPORTS_RATE_LIMIT: {
    fallback: "60/1m",
    parse: rateLimit,
    description:
      "leak reports (requests of up to 1,000 tokens) per GitHub key identifier, and per service token on `POST /internal/v1/leaks`, before `429`",
  },
} satisfies SettingTable;
