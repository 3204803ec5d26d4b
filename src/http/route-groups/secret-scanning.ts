import { AppError } from "../../domain/errors.ts";
import { rateLimitHeaders } from "../../domain/rate-limit.ts";
import { BODY_LIMIT_BYTES, withTypes } from "../fastify.ts";
import { registerTlsRequirement } from "../plugins/require-tls.ts";
import { reportLeakedTokens } from "../routes/secret-scanning/report-leaked-tokens.ts";
import type { App, AppOptions } from "../types.ts";

const EMPTY = Buffer.alloc(0);

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}

/** JSON of a verified body; the contract's 400 for anything else. */
function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw new AppError("VALIDATION_ERROR", "The JSON body is empty");
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new AppError("VALIDATION_ERROR", "The body is not valid JSON");
  }
}

/**
 * GitHub's secret-scanning reports (`/v1/secret-scanning/*`), on the partners' listener, without an
 * API key: the signature is the authentication, and it covers the raw bytes. So this scope alone
 * keeps the body as bytes (at most 1 MB) and, before validation, checks the signature over them
 * (and the sender's budget), then parses it: nothing of an unsigned body is read.
 */
export async function secretScanningRoutes(app: App, options: AppOptions): Promise<void> {
  const { services } = options;
  await app.register(async (plain) => {
    const scope = withTypes(plain);
    registerTlsRequirement(scope, options.transport);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "application/json",
      { parseAs: "buffer", bodyLimit: BODY_LIMIT_BYTES },
      (_request, body, done) => done(null, body),
    );
    scope.addHook("preValidation", async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : EMPTY;
      const decision = await services.leakReports.admitSigned({
        keyIdentifier: single(request.headers["github-public-key-identifier"]),
        signature: single(request.headers["github-public-key-signature"]),
        body: raw,
      });
      reply.headers(rateLimitHeaders(decision));
      request.body = parseJson(raw);
    });
    reportLeakedTokens(scope, services);
  });
}
