import type { FastifyRequest } from "fastify";
import type { IdempotencyService } from "../../services/idempotency.ts";
import type { App } from "../types.ts";

/**
 * `<Brand>-Idempotency-Key` on POST and PATCH: the first 2xx result is kept (encrypted) for 24 h
 * and replayed for the same request; other outcomes release the key so the client can retry.
 */
export function registerIdempotency(
  app: App,
  options: {
    service: IdempotencyService;
    headerPrefix: string;
    scopeOf: (request: FastifyRequest) => string;
  },
): void {
  const header = `${options.headerPrefix}-Idempotency-Key`.toLowerCase();
  const started = new WeakMap<FastifyRequest, { keyHash: string; encryptionKey: Buffer }>();

  app.addHook("preHandler", async (request, reply) => {
    if (request.method !== "POST" && request.method !== "PATCH") return;
    const key = request.headers[header];
    if (key === undefined) return;
    const outcome = await options.service.begin({
      scope: options.scopeOf(request),
      idempotencyKey: Array.isArray(key) ? key.join(",") : key,
      request: { method: request.method, url: request.url, body: JSON.stringify(request.body ?? null) },
    });
    if (outcome.kind === "NEW") {
      started.set(request, outcome);
      return;
    }
    reply
      .code(outcome.response.status)
      .header(`${options.headerPrefix}-Idempotent-Replayed`, "true")
      .type("application/json; charset=utf-8");
    return reply.send(outcome.response.body);
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const start = started.get(request);
    if (!start) return payload;
    started.delete(request);
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === "string") {
      await options.service.complete(start, { status: reply.statusCode, body: payload });
    } else {
      await options.service.abandon(start);
    }
    return payload;
  });
}
