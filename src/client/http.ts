import { ApiError, errorFor } from "@partner-credentials/client";

/** The operator API answers in the same error body as the partners' one: the SDK's typed errors. */
export { ApiError };

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
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
    throw errorFor(
      response.status,
      (parsed ?? {}) as Record<string, unknown>,
      undefined,
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }
  return parsed as T;
}
