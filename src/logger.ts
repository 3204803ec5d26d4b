import type { FastifyBaseLogger, FastifyRequest } from "fastify";
import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from "pino";

/** Paths that could ever hold a secret; pino replaces them before a line is written. */
const REDACT_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "api_key",
  "*.api_key",
  "token",
  "*.token",
  "pepper",
  "*.pepper",
  "adminToken",
  "*.adminToken",
  "sessionSecret",
  "*.sessionSecret",
];

/**
 * Onboarding tokens travel in URL paths, and a caller may put a key anywhere in a URL, however
 * encoded. Every run of 40 or more token characters is masked: link tokens (43) and key bodies
 * (50) always are, while account ids and UUIDs (36) stay readable.
 */
export function redactUrl(url: string): string {
  return url.replace(/[A-Za-z0-9_%-]{40,}/g, "[REDACTED]");
}

/** Node's client errors carry the raw request bytes (headers included): never log them. */
function serializeError(error: Error): Record<string, unknown> {
  const { rawPacket: _rawPacket, ...rest } = pino.stdSerializers.err(error) as Record<string, unknown>;
  return rest;
}

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: "[REDACTED]" },
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          remote_address: request.ip,
        }),
        res: (reply: { statusCode: number }) => ({ status_code: reply.statusCode }),
        err: serializeError,
      },
    },
    options.destination,
  );
}

type LevelName = "fatal" | "error" | "warn" | "info" | "debug" | "trace";

/**
 * A request's logger that becomes a real pino child (bindings serialized, redaction set up) only
 * when a line at an enabled level is written: most requests write none.
 */
class LazyChildLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | null = null;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #write(level: LevelName, args: unknown[]): void {
    const parent = this.#parent as Partial<Logger>;
    if (this.#child === null && parent.isLevelEnabled && !parent.isLevelEnabled(level)) return;
    (this.#real()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.#child?.level ?? this.#parent.level;
  }
  set level(level: string) {
    this.#real().level = level;
  }
  fatal(...args: unknown[]): void {
    this.#write("fatal", args);
  }
  error(...args: unknown[]): void {
    this.#write("error", args);
  }
  warn(...args: unknown[]): void {
    this.#write("warn", args);
  }
  info(...args: unknown[]): void {
    this.#write("info", args);
  }
  debug(...args: unknown[]): void {
    this.#write("debug", args);
  }
  trace(...args: unknown[]): void {
    this.#write("trace", args);
  }
  silent(): void {}
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the per-request child is made only if the request logs. */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options);
}
