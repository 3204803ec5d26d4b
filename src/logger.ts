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

/** Onboarding tokens travel in the URL path: never let one reach a log line. */
export function redactUrl(url: string): string {
  return url.replace(/\/onboarding\/[^/?#]*/g, "/onboarding/[REDACTED]");
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
        err: pino.stdSerializers.err,
      },
    },
    options.destination,
  );
}
