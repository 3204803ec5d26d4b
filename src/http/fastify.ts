import { randomUUID } from "node:crypto";
import type { RequestListener } from "node:http";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { headerPrefix } from "../domain/brand.ts";
import { lazyChildLogger } from "../logger.ts";
import { boundCounter, type Metrics } from "../metrics.ts";
import { answerLiveness, LIVENESS_PATH } from "./liveness.ts";
import { clientError, frameworkError, registerErrorHandling } from "./plugins/error-handler.ts";
import { registerRequestContext } from "./plugins/request-context.ts";
import { appendRouteHook } from "./route-hooks.ts";
import { clientAddressSource } from "./transport.ts";
import type { App, AppOptions } from "./types.ts";
import { schemaController } from "./validation.ts";

export const BODY_LIMIT_BYTES = 1024 * 1024;

declare module "fastify" {
  interface FastifyRequest {
    /**
     * The client's address as every decision sees it: the connection's, or what a trusted proxy
     * forwarded (`X-Forwarded-For`, or `X-Real-IP` alone). Worked out when first read.
     */
    readonly clientAddress: string;
  }
  interface FastifyInstance {
    /** Where the README is published (`DOCS_URL`); null: error bodies carry no `doc_url`. */
    docsUrl: string | null;
  }
}

export const withTypes = (scope: FastifyInstance): App =>
  scope.withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

/**
 * Node's own limits on slow clients: headers and body must all arrive within `requestMs` (checked
 * every second, so a stalled request is cut within a second of its deadline); idle keep-alive
 * connections end after `keepAliveMs`.
 */
export function serverTimeouts(timeouts: { requestMs: number; keepAliveMs: number }): {
  requestTimeout: number;
  headersTimeout: number;
  keepAliveTimeout: number;
  connectionsCheckingInterval: number;
} {
  return {
    requestTimeout: timeouts.requestMs,
    headersTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: Math.min(1000, timeouts.requestMs),
  };
}

/**
 * How long a connection on which nothing moves lives (one that never sends a byte, say): `idleMs`,
 * else `keepAliveMs`, but never less than a stalled request needs to get its `408` (its deadline,
 * the check after it, and half a second for a busy event loop), so a short keep-alive never cuts a
 * slow client without an answer.
 */
export function idleTimeoutMs(timeouts: { requestMs: number; keepAliveMs: number; idleMs?: number }): number {
  const answered = timeouts.requestMs + serverTimeouts(timeouts).connectionsCheckingInterval + 500;
  return Math.max(timeouts.idleMs ?? timeouts.keepAliveMs, answered);
}

const routeTables = new WeakMap<object, { method: string; url: string }[]>();
const requestListeners = new WeakMap<object, RequestListener>();

/**
 * What a listener of this app calls for each request (the app's own listener does): liveness probes
 * answered before routing while the app serves `GET /healthz` and is not closing, everything else
 * routed. For another listener of the same app, such as the HTTPS one.
 */
export function requestListenerOf(app: App): RequestListener {
  return requestListeners.get(app) ?? ((request, response) => app.routing(request, response));
}

/** Every route an app built by `createFastify` serves (for tests that must cover all of them). */
export function routesOf(app: App): readonly { method: string; url: string }[] {
  return routeTables.get(app) ?? [];
}

/**
 * A Fastify instance with the house conventions: the contract's error body for everything, request
 * ids, header limits and correlation ids, body limit, proxies believed only from `trustedProxies`,
 * and request metrics.
 */
export function createFastify(options: {
  logger: FastifyBaseLogger;
  trustedProxies: readonly string[];
  headerPrefix: string;
  metrics: Metrics;
  listener: string;
  timeouts: { requestMs: number; keepAliveMs: number; idleMs?: number };
  /** Where the README is published: error bodies link to the section that explains them. */
  docsUrl: string | null;
}): App {
  const app = withTypes(
    Fastify({
      loggerInstance: options.logger,
      bodyLimit: BODY_LIMIT_BYTES,
      http: { maxHeaderSize: 64 * 1024, ...serverTimeouts(options.timeouts) },
      requestTimeout: options.timeouts.requestMs,
      keepAliveTimeout: options.timeouts.keepAliveMs,
      connectionTimeout: idleTimeoutMs(options.timeouts),
      genReqId: () => randomUUID(),
      // The per-request child logger is made only when the request writes a line.
      childLoggerFactory: lazyChildLogger,
      return503OnClosing: true,
      forceCloseConnections: "idle",
      frameworkErrors: frameworkError,
      trustProxy: options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
      clientErrorHandler: clientError,
      schemaController,
    }),
  );
  app.decorate("docsUrl", options.docsUrl);
  const addressOf = clientAddressSource({ trustedProxies: options.trustedProxies });
  app.decorateRequest("clientAddress", {
    getter(this: FastifyRequest): string {
      return addressOf(this);
    },
  });
  const routes: { method: string; url: string }[] = [];
  routeTables.set(app, routes);
  const liveness = answerLivenessFirst(app);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method !== "HEAD") routes.push({ method, url: route.url });
      if (method === "GET" && route.url === LIVENESS_PATH) liveness.declared();
    }
  });
  app.removeContentTypeParser("text/plain");
  registerErrorHandling(app);
  registerRequestContext(app, { headerPrefix: options.headerPrefix });
  countRequests(app, boundCounter(options.metrics.requests), options.listener);
  return app;
}

/**
 * Puts the liveness answer in front of the app's routing on the server Fastify made (its request
 * listener is Fastify's routing, as Node's `createServer(options, listener)` makes it), once the
 * app declares `GET /healthz`; from the moment the app starts closing, Fastify answers the probe
 * (503). Fastify still makes the server, with its options; a second address it binds (both of
 * `localhost`) routes the probe like any request.
 */
function answerLivenessFirst(app: App): { declared(): void } {
  const server = app.server;
  const [routing, ...others] = server.listeners("request") as RequestListener[];
  if (!routing || others.length > 0)
    throw new Error("expected Fastify's routing as the one request listener");
  let answered = false;
  const listener: RequestListener = (request, response) => {
    if (!answered || !answerLiveness(request, response)) routing(request, response);
  };
  server.removeListener("request", routing);
  server.on("request", listener);
  requestListeners.set(app, listener);
  app.addHook("preClose", (done) => {
    answered = false;
    done();
  });
  return {
    declared: () => {
      answered = true;
    },
  };
}

type Counted = (...labels: string[]) => { inc(): void };

/**
 * Counts every answer by listener, method, route and status: a route-level hook per route (its
 * labels bound once per method and status, so no request reads Fastify's route options, a getter
 * that builds an object), and one for requests no route matched. The liveness probe the listener
 * answers (see liveness.ts) never gets here.
 */
function countRequests(app: App, counted: Counted, listener: string): void {
  app.addHook("onRoute", (route) => {
    const byStatus = new Map<number, Map<string, { inc(): void }>>();
    const hook = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
      const { statusCode } = reply;
      let byMethod = byStatus.get(statusCode);
      if (!byMethod) {
        byMethod = new Map();
        byStatus.set(statusCode, byMethod);
      }
      let child = byMethod.get(request.method);
      if (!child) {
        child = counted(listener, request.method, route.url, String(statusCode));
        byMethod.set(request.method, child);
      }
      child.inc();
      done();
    };
    appendRouteHook(route, "onResponse", hook);
  });
  app.addHook("onResponse", (request, reply, done) => {
    if (request.is404) counted(listener, request.method, "unmatched", String(reply.statusCode)).inc();
    done();
  });
}

/** A Fastify instance for the partners' or the internal listener, configured from the app's options. */
export function createListenerFastify(options: AppOptions, listener: "public" | "internal"): App {
  return createFastify({
    logger: options.logger,
    trustedProxies: options.transport.trustedProxies,
    headerPrefix: headerPrefix(options.brand),
    metrics: options.metrics,
    listener,
    timeouts: options.timeouts,
    docsUrl: options.docsUrl,
  });
}
