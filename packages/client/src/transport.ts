import { errorFor, TransportError } from "./errors.ts";

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  attempts?: number;
  /** First backoff, doubled each time, with full jitter (default 200 ms). */
  baseDelayMs?: number;
  /** Longest wait between attempts, `Retry-After` included (default 10 s). */
  maxDelayMs?: number;
}

export interface ClientOptions {
  /** The service's base URL, e.g. `https://partners.example`. */
  baseUrl: string;
  apiKey: string;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  /** Retries of 429, 502, 503, 504 and failed connections; `false` turns them off. */
  retries?: RetryOptions | false;
  /**
   * An undici `Dispatcher` passed to `fetch`, e.g. `new Agent({ connect: { cert, key, ca } })` from
   * the `undici` package to present a client certificate (mTLS) or trust the service's CA.
   */
  dispatcher?: unknown;
  /** Another `fetch` (default: the global one). */
  fetch?: typeof fetch;
}

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * POST and PATCH carry `Klarna-Idempotency-Key`, generated unless given and reused on every
   * retry; `false` sends none (then a failed connection is not retried: the change may have happened).
   */
  idempotencyKey?: string | false;
  /** Expect text (PEM) instead of JSON. */
  text?: boolean;
}

const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function correlationIdOf(headers: Headers): string | undefined {
  for (const [name, value] of headers) {
    if (name.endsWith("-correlation-id") && name !== "partner-correlation-id") return value;
  }
  return undefined;
}

/** HTTP with the service's conventions: auth, idempotency keys, retries with backoff, timeouts, errors. */
export class Transport {
  readonly #options: ClientOptions;
  readonly #retries: Required<RetryOptions>;
  readonly #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.#options = options;
    const retries = options.retries === false ? { attempts: 0 } : (options.retries ?? {});
    this.#retries = { attempts: 3, baseDelayMs: 200, maxDelayMs: 10_000, ...retries };
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  async request<T>(spec: RequestSpec): Promise<T> {
    const base = this.#options.baseUrl.endsWith("/") ? this.#options.baseUrl : `${this.#options.baseUrl}/`;
    const url = new URL(spec.path.replace(/^\//, ""), base);
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const writes = spec.method === "POST" || spec.method === "PATCH";
    const key = writes && spec.idempotencyKey !== false ? (spec.idempotencyKey ?? crypto.randomUUID()) : null;
    // Without a key, a lost answer to a change cannot be told from a change never made.
    const safeToResend = !writes || key !== null;
    const headers: Record<string, string> = {
      authorization: `Basic ${this.#options.apiKey}`,
      accept: spec.text ? "application/x-pem-file, text/plain" : "application/json",
      ...(spec.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(key ? { "Klarna-Idempotency-Key": key } : {}),
      ...spec.headers,
    };
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.#retries.attempts;
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method: spec.method,
          headers,
          body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
          signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
          ...(this.#options.dispatcher ? { dispatcher: this.#options.dispatcher } : {}),
        } as RequestInit);
      } catch (cause) {
        if (last || !safeToResend)
          throw new TransportError(`${spec.method} ${url.pathname} failed`, { cause });
        await sleep(this.#backoff(attempt, undefined));
        continue;
      }
      if (response.ok) {
        if (response.status === 204) return undefined as T;
        const text = await response.text();
        return (spec.text ? text : text ? JSON.parse(text) : undefined) as T;
      }
      const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
      const retryAfterSeconds = Number.isFinite(retryAfter) ? retryAfter : undefined;
      if (!last && RETRIED_STATUSES.has(response.status)) {
        await response.body?.cancel();
        await sleep(this.#backoff(attempt, retryAfterSeconds));
        continue;
      }
      const text = await response.text();
      let body: Record<string, unknown> = {};
      try {
        body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        body = { error_message: text.slice(0, 200) };
      }
      throw errorFor(response.status, body, correlationIdOf(response.headers), retryAfterSeconds);
    }
  }

  /** Exponential backoff with full jitter, never shorter than `Retry-After`, never longer than the cap. */
  #backoff(attempt: number, retryAfterSeconds: number | undefined): number {
    const { baseDelayMs, maxDelayMs } = this.#retries;
    const jittered = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    return Math.min(maxDelayMs, Math.max(jittered, (retryAfterSeconds ?? 0) * 1000));
  }
}
