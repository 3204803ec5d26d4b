import { type Static, Type } from "typebox";
import type { LeakVerdict } from "../../domain/leak-report.ts";
import { MAX_REPORTED_TOKENS } from "../../domain/leak-report.ts";
import { ErrorBody } from "./common.ts";

export const ReportedTokenSchema = Type.Object(
  {
    token: Type.String({ maxLength: 1000, description: "What was found; never stored, never logged" }),
    type: Type.String({ maxLength: 200, description: "The scanner's name for the pattern it matched" }),
    url: Type.Optional(Type.String({ maxLength: 4096, description: "Where it was found" })),
    source: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          "What kind of place: `Content`, `Commit`, `Pull_request_title`, … `Unknown` (absent: `Unknown`)",
      }),
    ),
  },
  { additionalProperties: true },
);

export const LeakReportBody = Type.Array(ReportedTokenSchema, {
  maxItems: MAX_REPORTED_TOKENS,
  description: `At most ${MAX_REPORTED_TOKENS} tokens and 1 MB`,
});
export type LeakReportBody = Static<typeof LeakReportBody>;

export const LeakVerdictsSchema = Type.Array(
  Type.Object(
    {
      token_hash: Type.String({ pattern: "^[0-9a-f]{64}$", description: "SHA-256 (hex) of the token" }),
      token_type: Type.String({ description: "The `type` the report gave" }),
      label: Type.Enum(["true_positive", "false_positive"], {
        description:
          "`true_positive`: a genuine key or Client ID of this service (a live key is disabled or announced); `false_positive`: not one",
      }),
    },
    { additionalProperties: false },
  ),
  { description: "One entry per reported token, in order" },
);

const described = (description: string) => ({ ...ErrorBody, description });

/** The error responses of both report endpoints, but authentication's (each its own). */
export const leakReportErrors = {
  400: described(
    "Not a JSON array of `{token, type, url, source}`, or more than 1,000 tokens (VALIDATION_ERROR); nothing processed",
  ),
  413: described("The body is over 1 MB (PAYLOAD_TOO_LARGE); nothing processed"),
  415: described("The body is not `application/json` (UNSUPPORTED_MEDIA_TYPE)"),
  429: described("Too many reports from this sender (RATE_LIMITED); retry after `Retry-After` seconds"),
};

export function presentVerdicts(verdicts: readonly LeakVerdict[]): Static<typeof LeakVerdictsSchema> {
  return verdicts.map((v) => ({ token_hash: v.tokenHash, token_type: v.tokenType, label: v.label }));
}
