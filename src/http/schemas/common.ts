import { type Static, Type } from "typebox";
import { ENVIRONMENTS } from "../../domain/types.ts";

export const ErrorBody = Type.Object(
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
export type ErrorBody = Static<typeof ErrorBody>;

export const Timestamp = Type.String({ format: "date-time", description: "ISO 8601 UTC" });
export const EnvironmentSchema = Type.Enum(ENVIRONMENTS);

export const PageQuery = {
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  page_token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
};

export const AccountIdParam = Type.Object({
  account_id: Type.String({
    pattern: "^krn:partner:global:account:(live|test):[A-Z0-9]{8}$",
    description: "A Partner Account managed by the calling Acquiring Partner",
  }),
});

/** Error responses every authenticated endpoint may give. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  415: ErrorBody,
  422: ErrorBody,
  429: ErrorBody,
  431: ErrorBody,
  500: ErrorBody,
  503: ErrorBody,
};
