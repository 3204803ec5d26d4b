import type { FastifyReply, FastifyRequest } from "fastify";
import { canonicalJson } from "../../domain/canonical-json.ts";
import { invalidParameter } from "../../domain/errors.ts";
import { IDEMPOTENCY_KEY_PATTERN, type IdempotencyService, requestHash } from "../../services/idempotency.ts";
import type { App } from "../types.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The idempotency key this request holds: its change marks it applied in the same transaction. */
    idempotencyReservation: { keyHash: string; reservedAt: Date } | null;
  }
}

/**
 * `<Brand>-Idempotency-Key` on POST and PATCH: the first 2xx result is kept (without secrets) for
 * 24 h and replayed for the same request; other outcomes release the key so the client can retry.
 */
export function registerIdempotency(
  app: App,
  options: {
    service: IdempotencyService;
    headerPrefix: string;
    scopeOf: (request: FastifyRequest) => string;
  },
): void {
  const headerName = `${options.headerPrefix}-Idempotency-Key`;
  const header = headerName.toLowerCase();
  const started = new WeakMap<FastifyRequest, { keyHash: string; reservedAt: Date }>();
  app.decorateRequest("idempotencyReservation", null);

  /** Reserves the key, or answers with the recorded result: true when it has answered. */
  const reserveOrReplay = async (
    request: FastifyRequest,
    reply: FastifyReply,
    key: unknown,
  ): Promise<boolean> => {
    if (typeof key !== "string" || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw invalidParameter(
        headerName,
        "must be 1 to 255 printable ASCII characters, spaces included (a UUID is recommended)",
      );
    }
    const outcome = await options.service.begin({
      scope: options.scopeOf(request),
      idempotencyKey: key,
      requestHash: requestHash(request.method, request.url, canonicalJson(request.body ?? null)),
    });
    if (outcome.kind === "NEW") {
      started.set(request, outcome);
      request.idempotencyReservation = { keyHash: outcome.keyHash, reservedAt: outcome.reservedAt };
      return false;
    }
    reply
      .code(outcome.response.status)
      .header(`${options.headerPrefix}-Idempotent-Replayed`, "true")
      .type("application/json; charset=utf-8")
      .send(outcome.response.body);
    return true;
  };

  /** Records the answer under the key (or lets the key go when the change failed). */
  const record = async (
    request: FastifyRequest,
    reply: FastifyReply,
    start: { keyHash: string; reservedAt: Date },
    payload: unknown,
  ): Promise<void> => {
    const succeeded = reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === "string";
    try {
      if (succeeded) await options.service.complete(start, { status: reply.statusCode, body: payload });
      else await options.service.abandon(start);
    } catch (error) {
      // The change itself is done: answer it. An unrecorded key is taken over after a minute.
      request.log.error({ err: error }, "could not record the idempotent result");
      await options.service.abandon(start).catch(() => undefined);
    }
  };

  // Callback-style hooks: requests without a key (every read) pass without a promise.
  app.addHook("preHandler", (request, reply, done) => {
    if (request.method !== "POST" && request.method !== "PATCH") return done();
    const key = request.headers[header];
    if (key === undefined) return done();
    reserveOrReplay(request, reply, key).then((answered) => {
      if (!answered) done();
    }, done);
  });

  app.addHook("onSend", (request, reply, payload, done) => {
    const start = started.get(request);
    if (!start) return done(null, payload);
    started.delete(request);
    record(request, reply, start, payload).then(
      () => done(null, payload),
      (error: Error) => done(error),
    );
  });
}
