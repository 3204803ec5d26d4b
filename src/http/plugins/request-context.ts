import { TLSSocket } from "node:tls";
import { AppError } from "../../domain/errors.ts";
import type { App } from "../types.ts";

const MAX_HEADER_BYTES = 6 * 1024;
const MAX_ALL_HEADERS_BYTES = 20 * 1024;
/** The reference API's rule: at most 255 alphanumerics. Anything else is ignored, never fatal. */
const PARTNER_CORRELATION_ID = /^[A-Za-z0-9]{1,255}$/;
const IGNORED_CORRELATION_WARNING = '199 - "Partner-Correlation-Id ignored: use 1 to 255 letters or digits"';

/**
 * Per-request conventions: header size limits, correlation ids in and out, and response headers
 * that keep credentials out of caches.
 */
export function registerRequestContext(app: App, options: { headerPrefix: string }): void {
  const correlationHeader = `${options.headerPrefix}-Correlation-Id`;

  app.addHook("onRequest", (request, _reply, done) => {
    const raw = request.raw.rawHeaders;
    let total = 0;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const size = (raw[i]?.length ?? 0) + (raw[i + 1]?.length ?? 0);
      if (size > MAX_HEADER_BYTES) {
        done(new AppError("HEADERS_TOO_LARGE", `Header ${raw[i]} exceeds ${MAX_HEADER_BYTES} bytes`));
        return;
      }
      total += size;
    }
    if (total > MAX_ALL_HEADERS_BYTES) {
      done(new AppError("HEADERS_TOO_LARGE", `Headers exceed ${MAX_ALL_HEADERS_BYTES} bytes in total`));
      return;
    }
    done();
  });

  // Names in lower case (what Fastify writes anyway), each header set on its own: no object to build.
  const correlationName = correlationHeader.toLowerCase();
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header(correlationName, request.id).header("x-content-type-options", "nosniff");
    const partnerCorrelation = request.headers["partner-correlation-id"];
    if (typeof partnerCorrelation === "string" && PARTNER_CORRELATION_ID.test(partnerCorrelation)) {
      reply.header("partner-correlation-id", partnerCorrelation);
    } else if (partnerCorrelation !== undefined) {
      // A bad correlation id must not fail the partner's call: it is dropped, and the answer says so.
      reply.header("warning", IGNORED_CORRELATION_WARNING);
    }
    // Over our own HTTPS listener: browsers must never fall back to plain HTTP for this host.
    if (request.raw.socket instanceof TLSSocket)
      reply.header("strict-transport-security", "max-age=31536000");
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    done(null, payload);
  });
}
