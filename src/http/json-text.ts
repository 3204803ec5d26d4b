import type { FastifyReply } from "fastify";

/**
 * Sends JSON text made beforehand (see credentialJson): Fastify sends a string with a JSON content
 * type as it is, without the route's serializer. The text must be what the route's response schema
 * describes.
 */
export function sendJsonText(reply: FastifyReply, text: string): FastifyReply {
  return reply.type("application/json; charset=utf-8").send(text);
}
