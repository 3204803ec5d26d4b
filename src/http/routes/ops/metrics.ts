import type { Metrics } from "../../../metrics.ts";
import type { App } from "../../types.ts";

export function metricsEndpoint(app: App, metrics: Metrics): void {
  app.get(
    "/metrics",
    {
      schema: {
        operationId: "metrics",
        tags: ["Operations"],
        summary: "Prometheus metrics: requests, authentications, rate-limit denials, cache, bus, sweeps",
        security: [],
        produces: ["text/plain"],
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
