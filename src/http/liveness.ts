import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The liveness probe: called every few seconds by every load balancer and orchestrator, it answers
 * from the process alone. The listener answers it before the framework sees the request
 * (`answerLiveness`): no routing, no hooks, so no correlation id, no cache headers and no request
 * metrics, at about the cost of a bare route. The route answers the same body where the listener
 * does not: through `inject()`, and with `503` once the app is closing.
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
 * Answers `GET` and `HEAD /healthz` (exactly: no query string) straight from the listener (Node
 * sends no body to a `HEAD`); false for anything else, which the framework then routes.
 */
export function answerLiveness(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.url !== LIVENESS_PATH || (request.method !== "GET" && request.method !== "HEAD")) return false;
  response.writeHead(200, ANSWER_HEADERS);
  response.end(ANSWER);
  return true;
}
