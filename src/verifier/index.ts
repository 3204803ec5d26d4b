/**
 * The in-process verifier for the provider's Node services: the same decision as `serve`, the
 * forward-auth endpoint and the gateway, over the same store, Redis, verification cache and
 * invalidation bus.
 *
 *   import { createVerifier } from "partner-credentials/verifier";
 *   const verifier = await createVerifier();            // DATABASE_URL, REDIS_URL, DATA_DIR/PEPPER…
 *   const decision = await verifier.verify({ authorization, sourceIp, category: "payments", environment: "LIVE" });
 *   if (decision.outcome !== "ALLOWED") return reply(decision.error.status, verifier.errorBody(decision));
 */
import { type ConfigOverrides, loadConfig, loadConfigFromEnvironment } from "../config.ts";
import { headerPrefix } from "../domain/brand.ts";
import type { Environment } from "../domain/types.ts";
import { openAuthorizationEdge } from "../edge.ts";
import { errorBody } from "../http/error-body.ts";
import { createLogger } from "../logger.ts";
import { identityHeaders, statusHeaders } from "../services/authorization-headers.ts";
import type { Authorization } from "../services/request-authorizer.ts";
import { systemClock, systemRandom } from "../system.ts";

export type { Authorization, DenialOutcome } from "../services/request-authorizer.ts";

export interface VerifyInput {
  /** The partner's `Authorization` header, as sent. */
  authorization: string | undefined;
  /** The `Klarna-Partner-Account` header, as sent, when an Acquiring Partner acts for a Partner Account. */
  partnerAccount?: string | undefined;
  /** The client certificate (DER or PEM) when the request came over mTLS. */
  clientCertificate?: Buffer | string | null;
  sourceIp: string;
  /** Rate-limit category (`RATE_LIMIT_<CATEGORY>`); default `API`. */
  category?: string;
  /** The environment this API serves; default: the key's own. */
  environment?: Environment;
}

export interface Verifier {
  verify(input: VerifyInput): Promise<Authorization>;
  /** Headers to answer with: mTLS/IP status and rate limits, plus the identity when allowed. */
  headers(decision: Authorization): Record<string, string>;
  /** The contract's error body of a refusal (send it with `decision.error.status` and `headers`). */
  errorBody(decision: Exclude<Authorization, { outcome: "ALLOWED" }>): Record<string, unknown>;
  /** A signed identity token (compact JWS) of an allowed request, as the gateway sends upstream. */
  identityToken(decision: Extract<Authorization, { outcome: "ALLOWED" }>): Promise<string>;
  /** Flushes last-use records and closes the store and Redis connections. */
  close(): Promise<void>;
}

export interface VerifierOptions {
  /** The environment to read settings from; default: this process's. */
  env?: Record<string, string | undefined>;
  overrides?: ConfigOverrides;
  logLevel?: string;
}

export async function createVerifier(options: VerifierOptions = {}): Promise<Verifier> {
  const config = options.env
    ? loadConfig(options.env, options.overrides)
    : loadConfigFromEnvironment(options.overrides);
  const logger = createLogger({ level: options.logLevel ?? config.logLevel });
  const edge = await openAuthorizationEdge(config, { logger, clock: systemClock, random: systemRandom });
  const prefix = headerPrefix(config.brand);
  return {
    verify: (input) =>
      edge.authorizer.authorize({
        entry: "verifier",
        authorization: input.authorization,
        partnerAccount: input.partnerAccount,
        clientCertificate: input.clientCertificate ?? null,
        sourceIp: input.sourceIp,
        category: input.category ?? "API",
        environment: input.environment ?? null,
      }),
    headers: (decision) => ({
      ...statusHeaders(decision, prefix),
      ...(decision.outcome === "ALLOWED" ? identityHeaders(decision, prefix) : decision.error.headers),
    }),
    errorBody: (decision) => errorBody(decision.error, config.docsUrl),
    identityToken: (decision) => edge.identity.sign(decision),
    close: () => edge.close(),
  };
}
