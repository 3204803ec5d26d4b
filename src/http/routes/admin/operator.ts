import type { FastifyRequest } from "fastify";
import type { RequestContext } from "../../../services/runtime.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The named operator who signed in (ADMIN_TOKENS_FILE); null for the shared ADMIN_TOKEN. */
    operatorName: string | null;
  }
}

/** The operator behind an admin request, for its audit events. */
export function operatorContext(request: FastifyRequest): RequestContext {
  return {
    actor: request.operatorName ? { kind: "operator", name: request.operatorName } : { kind: "operator" },
    sourceIp: request.clientAddress,
    idempotency: request.idempotencyReservation,
  };
}
