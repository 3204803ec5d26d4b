import { type Static, Type } from "typebox";
import { ENVIRONMENTS } from "../../domain/types.ts";
import { shared } from "./shared.ts";

const ErrorBodyObject = Type.Object(
  {
    error_id: Type.String({ description: "Unique per failed request; quote it to support" }),
    error_type: Type.Enum(["INPUT_ERROR", "ACCESS_ERROR", "RESOURCE_ERROR", "TECHNICAL_ERROR"]),
    error_code: Type.String({ description: "Stable code clients branch on, e.g. VALIDATION_ERROR" }),
    error_message: Type.String(),
    doc_url: Type.Optional(
      Type.String({ format: "uri", description: "The documentation's section on this error" }),
    ),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          parameter: Type.String({ description: "e.g. `description` or `allowed_ips[2]`" }),
          error_message: Type.String(),
          doc_url: Type.Optional(Type.String({ format: "uri" })),
        }),
        { description: "With VALIDATION_ERROR: each invalid parameter" },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ErrorBody = Static<typeof ErrorBodyObject>;

/** The contract's error body: one named schema (`ErrorBody`) that every error response refers to. */
export const ErrorBody = shared("ErrorBody", ErrorBodyObject);

const described = (description: string) => ({ ...ErrorBody, description });

export const Timestamp = Type.String({ format: "date-time", description: "ISO 8601 UTC" });
export const EnvironmentSchema = Type.Enum(ENVIRONMENTS);

export const PageQuery = {
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  page_token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
};

/** The field of every list answer that leads to the next page; absent on the last one. */
export const NextPageToken = { next_page_token: Type.Optional(Type.String()) };

export const AccountIdParam = Type.Object({
  account_id: Type.String({
    pattern: "^krn:partner:global:account:(live|test):[A-Z0-9]{8}$",
    description: "A Partner Account managed by the calling Acquiring Partner",
  }),
});

/** Error responses every authenticated endpoint may give. */
export const errorResponses = {
  400: described("Invalid request: VALIDATION_ERROR lists each bad parameter in `errors`"),
  401: described("Missing or invalid API key (UNAUTHORIZED), or no valid client certificate (MTLS_REQUIRED)"),
  403: described("Not allowed: FORBIDDEN, IP_NOT_ALLOWED, or TLS_REQUIRED over plain HTTP"),
  404: described("Not found, or not yours (NOT_FOUND)"),
  409: described(
    "The resource's state forbids it (RESOURCE_CONFLICT, INVALID_STATE, IDEMPOTENCY_KEY_IN_USE)",
  ),
  413: described("Body over 1 MB (PAYLOAD_TOO_LARGE)"),
  415: described("Body is not JSON (UNSUPPORTED_MEDIA_TYPE)"),
  422: described("Idempotency key reused for another request (IDEMPOTENCY_KEY_REUSED)"),
  429: described("Over the account's rate limit (RATE_LIMITED); retry after Retry-After seconds"),
  431: described("Headers too large (HEADERS_TOO_LARGE)"),
  500: described("Our fault (TECHNICAL_ERROR); quote error_id to support"),
  503: described("Temporarily unavailable (SERVICE_UNAVAILABLE); retry shortly"),
};
