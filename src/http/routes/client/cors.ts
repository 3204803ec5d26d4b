import type { FastifyReply } from "fastify";

/** CORS is answered per request: the exact origin, only when it is allowed, and nothing otherwise. */
export function allowOrigin(reply: FastifyReply, origin: string): void {
  reply.header("Access-Control-Allow-Origin", origin);
  reply.header("Vary", "Origin");
}
