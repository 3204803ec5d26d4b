import { Counter, Gauge, Registry } from "prom-client";
import type { BusState } from "./store/invalidation-bus.ts";

/** The service's Prometheus metrics, in a registry of its own. */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "partner_credentials_http_requests_total",
    help: "HTTP requests by listener (public, internal, gateway), route pattern, method and status",
    labelNames: ["listener", "method", "route", "status"] as const,
    registers: [this.registry],
  });
  readonly authentications = new Counter({
    name: "partner_credentials_authentications_total",
    help: "API key authentications by outcome",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  readonly authorizations = new Counter({
    name: "partner_credentials_authorizations_total",
    help: "Authorization decisions by entry point (api, forward_auth, gateway, verifier) and outcome",
    labelNames: ["entry", "outcome"] as const,
    registers: [this.registry],
  });
  readonly rateLimitDenials = new Counter({
    name: "partner_credentials_rate_limit_denials_total",
    help: "Requests refused with 429, by category",
    labelNames: ["category"] as const,
    registers: [this.registry],
  });
  readonly lifecycleTransitions = new Counter({
    name: "partner_credentials_lifecycle_transitions_total",
    help: "Credential lifecycle transitions made by this instance's sweeps, by rule",
    labelNames: ["rule"] as const,
    registers: [this.registry],
  });
  readonly cacheLookups = new Counter({
    name: "partner_credentials_verification_cache_lookups_total",
    help: "Verification cache lookups by result (hit or miss)",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });

  constructor(sources: { busState: () => BusState; redisUp: () => boolean | null }) {
    new Gauge({
      name: "partner_credentials_invalidation_bus_up",
      help: "1 when the invalidation bus delivers (or the instance runs alone), 0 in the fallback",
      registers: [this.registry],
      collect() {
        this.set(sources.busState() === "DOWN" ? 0 : 1);
      },
    });
    new Gauge({
      name: "partner_credentials_shared_rate_limits_up",
      help: "1 while rate limits are shared through Redis, 0 while counted per instance",
      registers: [this.registry],
      collect() {
        this.set(sources.redisUp() === false ? 0 : 1);
      },
    });
  }
}

/**
 * A counter's child per label set, bound on first use and reused: counting a request then costs a
 * map lookup, not the hashing of a label object. Label values come from a small fixed set (routes,
 * methods, statuses, outcomes), so the map stays small.
 */
export function boundCounter<T extends string>(
  counter: Counter<T>,
): (...values: string[]) => { inc(): void } {
  const children = new Map<string, { inc(): void }>();
  const names = (counter as unknown as { labelNames: T[] }).labelNames;
  return (...values) => {
    const key = values.join("\u0000");
    let child = children.get(key);
    if (!child) {
      const labels = Object.fromEntries(names.map((name, i) => [name, values[i] ?? ""])) as Record<T, string>;
      child = counter.labels(labels);
      children.set(key, child);
    }
    return child;
  };
}
