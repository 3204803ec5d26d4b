/** One invalid parameter of a VALIDATION_ERROR. */
export interface InvalidParameter {
  parameter: string;
  errorMessage: string;
  docUrl?: string;
}

/**
 * A non-2xx answer, in the contract's error body. Branch on `errorCode` (stable), quote `errorId`
 * and `correlationId` to support. Subclasses name the common cases.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly errorType: string;
  readonly errorCode: string;
  readonly errorId: string | undefined;
  /** The service's id of the request (`<Brand>-Correlation-Id`). */
  readonly correlationId: string | undefined;
  /** With VALIDATION_ERROR: each invalid parameter. */
  readonly errors: InvalidParameter[];
  /** Where the documentation explains this error. */
  readonly docUrl: string | undefined;

  constructor(status: number, body: Record<string, unknown>, correlationId?: string) {
    super(typeof body.error_message === "string" ? body.error_message : `HTTP ${status}`);
    this.name = new.target.name;
    this.status = status;
    this.errorType = typeof body.error_type === "string" ? body.error_type : "TECHNICAL_ERROR";
    this.errorCode = typeof body.error_code === "string" ? body.error_code : "UNKNOWN";
    this.errorId = typeof body.error_id === "string" ? body.error_id : undefined;
    this.correlationId = correlationId;
    this.docUrl = typeof body.doc_url === "string" ? body.doc_url : undefined;
    this.errors = Array.isArray(body.errors)
      ? (body.errors as { parameter?: unknown; error_message?: unknown; doc_url?: unknown }[]).map((e) => ({
          parameter: String(e.parameter ?? ""),
          errorMessage: String(e.error_message ?? ""),
          ...(typeof e.doc_url === "string" ? { docUrl: e.doc_url } : {}),
        }))
      : [];
  }
}

/** 400: the request is invalid; `errors` names each bad parameter. */
export class ValidationError extends ApiError {}
/** 401: missing, wrong or disabled key, or mTLS required. */
export class AuthenticationError extends ApiError {}
/** 403: not allowed (permissions, IP allow-list, plain HTTP). */
export class PermissionError extends ApiError {}
/** 404: no such resource for this caller. */
export class NotFoundError extends ApiError {}
/** 409: the resource's state forbids the change. */
export class ConflictError extends ApiError {}
/** 429: over the account's rate limit, after the client's own retries. */
export class RateLimitError extends ApiError {
  /** Seconds the service asked to wait (`Retry-After`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: Record<string, unknown>, correlationId?: string, retryAfter?: number) {
    super(status, body, correlationId);
    this.retryAfterSeconds = retryAfter;
  }
}

/** The request could not be completed: no answer within the timeout, or the connection failed. */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransportError";
  }
}

/** The typed error of a non-2xx answer: its status picks the subclass. */
export function errorFor(
  status: number,
  body: Record<string, unknown>,
  correlationId: string | undefined,
  retryAfter: number | undefined,
): ApiError {
  switch (status) {
    case 400:
      return new ValidationError(status, body, correlationId);
    case 401:
      return new AuthenticationError(status, body, correlationId);
    case 403:
      return new PermissionError(status, body, correlationId);
    case 404:
      return new NotFoundError(status, body, correlationId);
    case 409:
      return new ConflictError(status, body, correlationId);
    case 429:
      return new RateLimitError(status, body, correlationId, retryAfter);
    default:
      return new ApiError(status, body, correlationId);
  }
}
