/** The contract's error body, raised by the SDK for every non-2xx answer. */
export class ApiError extends Error {
  readonly status: number;
  readonly errorType: string;
  readonly errorCode: string;
  readonly errorId: string | undefined;
  /** With VALIDATION_ERROR: each invalid parameter (`errors` on the wire). */
  readonly errors: { parameter: string; errorMessage: string; docUrl?: string }[];
  /** Where the documentation explains this error, when the service says. */
  readonly docUrl: string | undefined;

  constructor(status: number, body: Record<string, unknown>) {
    super(typeof body.error_message === "string" ? body.error_message : `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.errorType = typeof body.error_type === "string" ? body.error_type : "TECHNICAL_ERROR";
    this.errorCode = typeof body.error_code === "string" ? body.error_code : "UNKNOWN";
    this.errorId = typeof body.error_id === "string" ? body.error_id : undefined;
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

export interface RequestOptions {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One JSON request against the API; resolves to the parsed body (undefined for 204). */
export async function requestJson<T>(
  baseUrl: string,
  authorization: string,
  options: RequestOptions,
): Promise<T> {
  const url = new URL(options.path.replace(/^\//, ""), baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const response = await fetch(url, {
    method: options.method,
    headers: {
      authorization,
      accept: "application/json",
      ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, (parsed ?? {}) as Record<string, unknown>);
  return parsed as T;
}
