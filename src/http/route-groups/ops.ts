import { Guide } from "../../guide.ts";
import { guide } from "../routes/ops/guide.ts";
import { healthz } from "../routes/ops/healthz.ts";
import { metricsEndpoint } from "../routes/ops/metrics.ts";
import { readyz } from "../routes/ops/readyz.ts";
import type { App, AppOptions } from "../types.ts";

/** On the partners' listener: health, readiness, and the guide that error bodies link to. */
export function publicOpsRoutes(app: App, options: AppOptions): void {
  healthz(app);
  readyz(app, options.services);
  guide(app, new Guide());
}

/** On the internal listener: metrics, health and readiness. */
export function internalOpsRoutes(app: App, options: AppOptions): void {
  metricsEndpoint(app, options.metrics);
  healthz(app);
  readyz(app, options.services);
}
