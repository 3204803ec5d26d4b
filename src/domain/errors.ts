export type ErrorType = "INPUT_ERROR" | "ACCESS_ERROR" | "RESOURCE_ERROR" | "TECHNICAL_ERROR";

/**
 * Every error code the service answers with: stable strings clients branch on.
 * The table is the single mapping to error type and HTTP status.
 */
export const ERROR_CODES = {
  VALIDATION_ERROR: { type: "INPUT_ERROR", status: 400 },
  UNSUPPORTED_MEDIA_TYPE: { type: "INPUT_ERROR", status: 415 },
  PAYLOAD_TOO_LARGE: { type: "INPUT_ERROR", status: 413 },
  HEADERS_TOO_LARGE: { type: "INPUT_ERROR", status: 431 },
  URI_TOO_LONG: { type: "INPUT_ERROR", status: 414 },
  REQUEST_TIMEOUT: { type: "INPUT_ERROR", status: 408 },
  UNAUTHORIZED: { type: "ACCESS_ERROR", status: 401 },
  SERVICE_UNAUTHORIZED: { type: "ACCESS_ERROR", status: 401 },
  FORBIDDEN: { type: "ACCESS_ERROR", status: 403 },
  MTLS_REQUIRED: { type: "ACCESS_ERROR", status: 401 },
  IP_NOT_ALLOWED: { type: "ACCESS_ERROR", status: 403 },
  TLS_REQUIRED: { type: "ACCESS_ERROR", status: 403 },
  RATE_LIMITED: { type: "ACCESS_ERROR", status: 429 },
  NOT_FOUND: { type: "RESOURCE_ERROR", status: 404 },
  RESOURCE_CONFLICT: { type: "RESOURCE_ERROR", status: 409 },
  INVALID_STATE: { type: "RESOURCE_ERROR", status: 409 },
  IDEMPOTENCY_KEY_REUSED: { type: "INPUT_ERROR", status: 422 },
  IDEMPOTENCY_KEY_IN_USE: { type: "RESOURCE_ERROR", status: 409 },
  LINK_ALREADY_USED: { type: "RESOURCE_ERROR", status: 410 },
  LINK_EXPIRED: { type: "RESOURCE_ERROR", status: 410 },
  TECHNICAL_ERROR: { type: "TECHNICAL_ERROR", status: 500 },
  BAD_GATEWAY: { type: "TECHNICAL_ERROR", status: 502 },
  TIMEOUT: { type: "TECHNICAL_ERROR", status: 504 },
  SERVICE_UNAVAILABLE: { type: "TECHNICAL_ERROR", status: 503 },
} as const satisfies Record<string, { type: ErrorType; status: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The README section that explains an error (its heading's anchor), for the body's `doc_url`. */
const DOC_SECTIONS: Partial<Record<ErrorCode, string>> = {
  VALIDATION_ERROR: "key-format-http-conventions-audit",
  UNSUPPORTED_MEDIA_TYPE: "key-format-http-conventions-audit",
  PAYLOAD_TOO_LARGE: "key-format-http-conventions-audit",
  HEADERS_TOO_LARGE: "key-format-http-conventions-audit",
  URI_TOO_LONG: "key-format-http-conventions-audit",
  IDEMPOTENCY_KEY_REUSED: "key-format-http-conventions-audit",
  IDEMPOTENCY_KEY_IN_USE: "key-format-http-conventions-audit",
  UNAUTHORIZED: "credentials-partners",
  FORBIDDEN: "credentials-partners",
  RESOURCE_CONFLICT: "credentials-partners",
  TLS_REQUIRED: "quick-start",
  MTLS_REQUIRED: "mtls-and-ip-allow-lists",
  IP_NOT_ALLOWED: "mtls-and-ip-allow-lists",
  RATE_LIMITED: "rate-limits",
  LINK_ALREADY_USED: "onboarding-a-partner-operator",
  LINK_EXPIRED: "onboarding-a-partner-operator",
};

/** Where the documentation published at `docsUrl` explains this error; null when it does not. */
export function docUrlOf(code: ErrorCode, docsUrl: string | null): string | null {
  const section = DOC_SECTIONS[code];
  return docsUrl !== null && section !== undefined ? `${docsUrl}#${section}` : null;
}

/** One invalid parameter, as the wire lists it: `errors: [{parameter, error_message}]`. */
export interface ValidationIssue {
  /** Dotted path with array indexes in brackets (`allowed_ips[2]`), or a header's name. */
  parameter: string;
  /** What is wrong with it, for humans. */
  message: string;
}

/** A failure the caller can act on; mapped to the contract's error body at the HTTP edge. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly validationErrors: ValidationIssue[] | undefined;
  /** Response headers that belong to this error (Retry-After, X-Ratelimit-*). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    validationErrors?: ValidationIssue[],
    options: { headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.validationErrors = validationErrors;
    this.headers = options.headers ?? {};
  }

  get type(): ErrorType {
    return ERROR_CODES[this.code].type;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function invalidParameter(parameter: string, reason: string): AppError {
  return new AppError("VALIDATION_ERROR", `Invalid ${parameter}: ${reason}`, [
    { parameter, message: reason },
  ]);
}

export function notFound(what: string): AppError {
  return new AppError("NOT_FOUND", `${what} not found`);
}
