import replyFrom from "@fastify/reply-from";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import { AppError, invalidParameter } from "../domain/errors.ts";
import { type GatewayRoute, matchRoute, unroutablePath, upstreamPath } from "../domain/gateway-routes.ts";
import type { Metrics } from "../metrics.ts";
import { identityHeaderNames, identityHeaders, statusHeaders } from "../services/authorization-headers.ts";
import type { IdentitySigner } from "../services/identity-signer.ts";
import type { AllowedRequest, RequestAuthorizer } from "../services/request-authorizer.ts";
import { createFastify } from "./fastify.ts";
import { sendError } from "./plugins/error-handler.ts";
import {
  clientAddressSource,
  clientCertificateSource,
  partnerAccountHeaderSource,
  type TransportOptions,
} from "./transport.ts";
import type { App } from "./types.ts";

export interface GatewayOptions {
  routes: readonly GatewayRoute[];
  /** null: forward without authorizing (only to measure the gateway's own cost). */
  authorizer: RequestAuthorizer | null;
  identity: IdentitySigner;
  transport: TransportOptions;
  headerPrefix: string;
  logger: FastifyBaseLogger;
  metrics: Metrics;
  timeouts: { requestMs: number; keepAliveMs: number };
  /** Where the README is published: error bodies link to the section that explains them. */
  docsUrl: string | null;
}

/**
 * The gateway: a reverse proxy in front of the provider's APIs. Each request is authorized with the
 * same decision as everywhere else, loses the partner's `Authorization` and any identity headers it
 * sent, gains the real identity headers (and a signed identity token), and is streamed to the
 * upstream of the longest matching route over undici with keep-alive. Upstream down → 502,
 * too slow → 504, both in the contract's error body.
 */
export async function buildGatewayApp(options: GatewayOptions): Promise<App> {
  const prefix = options.headerPrefix;
  const app = createFastify({
    logger: options.logger,
    trustedProxies: options.transport.trustedProxies,
    headerPrefix: prefix,
    metrics: options.metrics,
    listener: "gateway",
    docsUrl: options.docsUrl,
    // The client's connection stays quiet while a slow upstream thinks: never cut it before the route's timeout.
    timeouts: {
      ...options.timeouts,
      idleMs: Math.max(options.timeouts.keepAliveMs, ...options.routes.map((r) => r.timeoutMs + 5_000)),
    },
  });
  await app.register(replyFrom, {
    undici: { connections: 128, pipelining: 1, keepAliveTimeout: 30_000 },
    disableRequestLogging: true,
    // Never retried: a payment request must not be sent twice by the gateway.
    retryMethods: [],
  });
  // Bodies are streamed to the upstream as they arrive, never parsed or buffered here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", (_request, payload, done) => done(null, payload));

  const names = identityHeaderNames(prefix);
  // What the upstream must never take from the partner: the key, identities, and the addresses
  // and certificates that only a trusted proxy may state (the gateway states the address itself).
  const dropped = [
    "authorization",
    "x-service-token",
    "x-real-ip",
    "forwarded",
    "x-forwarded-client-cert",
    options.transport.clientCertHeader.toLowerCase(),
    ...Object.values(names).map((name) => name.toLowerCase()),
  ];
  const partnerAccountHeader = `${prefix}-partner-account`.toLowerCase();
  const partnerAccountOf = partnerAccountHeaderSource(prefix);
  const correlationHeader = `${prefix}-correlation-id`.toLowerCase();
  const certificateOf = clientCertificateSource(options.transport);
  const addressOf = clientAddressSource(options.transport);
  const upstreamFailure = (reply: FastifyReply, { error }: { error: Error }): void => {
    const timedOut = (error as { statusCode?: number }).statusCode === 504;
    reply.request.log.warn({ err: error.message }, "upstream failed");
    sendError(
      reply,
      timedOut
        ? new AppError("TIMEOUT", "The upstream service did not answer in time")
        : new AppError("BAD_GATEWAY", "The upstream service is unavailable; retry shortly"),
    );
  };

  const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const url = request.raw.url ?? "/";
    const queryAt = url.indexOf("?");
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const problem = unroutablePath(path);
    if (problem) throw invalidParameter("path", problem);
    if (queryAt >= 0 && /%(?![0-9A-Fa-f]{2})/.test(url.slice(queryAt))) {
      throw invalidParameter("query", "has a malformed percent-escape");
    }
    const route = matchRoute(options.routes, path);
    if (!route) throw new AppError("NOT_FOUND", "No such endpoint");
    const sourceIp = addressOf(request);
    let allowed: AllowedRequest | null = null;
    if (options.authorizer) {
      const decision = await options.authorizer.authorize({
        entry: "gateway",
        authorization: request.headers.authorization,
        partnerAccount: partnerAccountOf(request),
        clientCertificate: certificateOf(request),
        sourceIp,
        category: route.category,
        environment: route.environment,
      });
      reply.headers(statusHeaders(decision, prefix));
      if (decision.outcome !== "ALLOWED") {
        request.log.info({ auth: decision.keyResult ?? decision.outcome }, "gateway refused");
        throw decision.error;
      }
      allowed = decision;
    }
    const identity = allowed
      ? { ...identityHeaders(allowed, prefix), [names.identity]: await options.identity.sign(allowed) }
      : {};
    const target = `${route.upstream}${upstreamPath(route, path)}${queryAt < 0 ? "" : url.slice(queryAt)}`;
    return reply.from(target, {
      timeout: route.timeoutMs,
      rewriteRequestHeaders: (_request, headers) => {
        const out: Record<string, string | string[] | undefined> = { ...headers };
        for (const name of dropped) delete out[name];
        if (allowed) delete out[partnerAccountHeader];
        out["x-forwarded-for"] = sourceIp;
        out[correlationHeader] = request.id;
        return { ...out, ...identity };
      },
      // Hop-by-hop headers of the upstream connection are not the client's.
      rewriteHeaders: (headers) => {
        const { connection: _connection, "keep-alive": _keepAlive, ...rest } = headers;
        return rest;
      },
      onError: (failed, { error }) => upstreamFailure(failed as unknown as FastifyReply, { error }),
    });
  };

  app.all("/", { schema: { hide: true } }, forward);
  app.all("/*", { schema: { hide: true } }, forward);
  return app;
}
