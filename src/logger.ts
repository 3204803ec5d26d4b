import type { FastifyRequest } from "fastify";
import pino, { type DestinationStream, type Logger } from "pino";

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
