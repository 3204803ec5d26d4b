import { duration, file, oneOf } from "./parse.ts";
import type { SettingTable } from "./setting.ts";

/** Lifecycle webhooks: where they may go, what the dispatcher trusts, how often it runs. */
export const webhooks = {
  WEBHOOK_ALLOW_INSECURE_TARGETS: {
    fallback: "false",
    parse: oneOf(["true", "false"], {
      normalize: (raw) => raw.toLowerCase(),
      problem: 'must be "true" or "false"',
    }),
    description:
      "`true` lets webhook endpoints be `http` URLs and private, loopback or link-local addresses (development and tests only: **unsafe in production**, where it opens server-side request forgery)",
  },
  WEBHOOK_CA_FILE: {
    fallback: null,
    shownDefault: "none: the public roots only",
    parse: file,
    description:
      "PEM certificates the dispatcher trusts for webhook targets besides the public roots (a private CA); certificates are verified either way",
  },
  WEBHOOK_DISPATCH_INTERVAL: {
    fallback: "PT2S",
    parse: duration(100),
    description: "how often `serve` sends the due webhook deliveries",
  },
  WEBHOOK_NOTICE_INTERVAL: {
    fallback: "PT1M",
    parse: duration(1000),
    description:
      "how often `serve` records the time-based events (`credential.rotation_ending`, `certificate.expiring`, `mtls.enforced`)",
  },
} satisfies SettingTable;
