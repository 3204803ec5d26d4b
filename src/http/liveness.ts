/**
 * The liveness probe: called every few seconds by every load balancer and orchestrator, it answers
 * from the process alone, so the per-request conventions (correlation ids, cache headers, request
 * metrics) skip it and it costs about what a bare route does.
 */
export const LIVENESS_PATH = "/healthz";
