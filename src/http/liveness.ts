import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The liveness probe: called every few seconds by every load balancer and orchestrator, it answers
 * from the process alone. Over a listener it is answered before the framework sees the request
 * (`answerLiveness`), so it costs less than any routed request; through the route (`inject()`, or
 * a listener that is closing) the per-request conventions (correlation ids, cache headers, request
 * metrics) skip it, and it answers the same.
 */
export const LIVENESS_PATH = "/healthz";

/** What the probe answers. */
export const LIVENESS_BODY = Object.freeze({ status: "ok" as const });

const ANSWER = JSON.stringify(LIVENESS_BODY);
// As Fastify writes them for the route: in one array, so Node validates no object of headers.
const ANSWER_HEADERS = [
  "content-type",
  "application/json; charset=utf-8",
  "content-length",
  String(Buffer.byteLength(ANSWER)),
];

/**
 * Answers `GET /healthz` (exactly: no query string) straight from the listener; false for
 * anything else, which the framework then routes.
 */
export function answerLiveness(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.url !== LIVENESS_PATH || request.method !== "GET") return false;
  response.writeHead(200, ANSWER_HEADERS);
  response.end(ANSWER);
  return true;
}
