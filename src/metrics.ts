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
    collect: flushPending,
  });
  readonly authentications = new Counter({
    name: "partner_credentials_authentications_total",
    help: "API key authentications by outcome",
    labelNames: ["result"] as const,
    registers: [this.registry],
    collect: flushPending,
  });
  readonly authorizations = new Counter({
    name: "partner_credentials_authorizations_total",
    help: "Authorization decisions by entry point (api, forward_auth, gateway, verifier) and outcome",
    labelNames: ["entry", "outcome"] as const,
    registers: [this.registry],
    collect: flushPending,
  });
  readonly rateLimitDenials = new Counter({
    name: "partner_credentials_rate_limit_denials_total",
    help: "Requests refused with 429, by category",
    labelNames: ["category"] as const,
    registers: [this.registry],
    collect: flushPending,
  });
  readonly lifecycleTransitions = new Counter({
    name: "partner_credentials_lifecycle_transitions_total",
    help: "Credential lifecycle transitions made by this instance's sweeps, by rule",
    labelNames: ["rule"] as const,
    registers: [this.registry],
    collect: flushPending,
  });
  readonly webhookAttempts = new Counter({
    name: "partner_credentials_webhook_attempts_total",
    help: "Webhook delivery attempts made by this instance, by outcome (delivered: a 2xx answer; failed: any other answer, or none)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
    collect: flushPending,
  });
  readonly webhookEndpointsDisabled = new Counter({
    name: "partner_credentials_webhook_endpoints_disabled_total",
    help: "Webhook endpoints this instance disabled after 3 days of failed deliveries",
    registers: [this.registry],
    collect: flushPending,
  });
  readonly addressesSeenDropped = new Counter({
    name: "partner_credentials_addresses_seen_dropped_total",
    help: "Requests left out of the IP allow-list report of addresses seen: too many distinct (account, address) pairs were waiting for the next flush",
    registers: [this.registry],
  });
  readonly cacheLookups = new Counter({
    name: "partner_credentials_verification_cache_lookups_total",
    help: "Verification cache lookups by result (hit or miss)",
    labelNames: ["result"] as const,
    registers: [this.registry],
    collect: flushPending,
  });
  readonly listCacheLookups = new Counter({
    name: "partner_credentials_list_cache_lookups_total",
    help: "Credential lists and credentials shown, by whether the cache answered (hit) or the store (miss)",
    labelNames: ["result"] as const,
    registers: [this.registry],
    collect: flushPending,
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

/** Counts kept in plain numbers since the last scrape, per counter: written into it when scraped. */
const pendingFlushes = new WeakMap<object, (() => void)[]>();

/** A counter's `collect` hook: prom-client calls it before every scrape of that counter. */
function flushPending(this: object): void {
  for (const flush of pendingFlushes.get(this) ?? []) flush();
}

/**
 * A counter's label sets, bound on first use: counting then adds 1 to a plain number (prom-client's
 * own `inc` hashes the label object on every call), and the sums reach the counter when it is
 * scraped. Label values come from a small fixed set (routes, methods, statuses, outcomes), so the
 * map stays small.
 */
export function boundCounter<T extends string>(
  counter: Counter<T>,
): (...values: string[]) => { inc(): void } {
  type Child = { labels: Record<T, string>; pending: number; inc(): void };
  const children: Child[] = [];
  const names = (counter as unknown as { labelNames: T[] }).labelNames;
  // One counter may be bound several times (each listener binds the request counter).
  const flushes = pendingFlushes.get(counter) ?? [];
  pendingFlushes.set(counter, flushes);
  flushes.push(() => {
    for (const child of children) {
      if (child.pending === 0) continue;
      counter.inc(child.labels, child.pending);
      child.pending = 0;
    }
  });
  // One map per label, in order: finding a bound set joins no strings.
  type Level = Map<string, Level | Child>;
  const root: Level = new Map();
  return (...values) => {
    let level = root;
    for (let i = 0; i < names.length - 1; i++) {
      const value = values[i] ?? "";
      let next = level.get(value) as Level | undefined;
      if (!next) {
        next = new Map();
        level.set(value, next);
      }
      level = next;
    }
    const last = values[names.length - 1] ?? "";
    let child = level.get(last) as Child | undefined;
    if (!child) {
      const labels = Object.fromEntries(names.map((name, i) => [name, values[i] ?? ""])) as Record<T, string>;
      const bound: Child = {
        labels,
        pending: 0,
        inc() {
          bound.pending += 1;
        },
      };
      child = bound;
      level.set(last, child);
      children.push(child);
    }
    return child;
  };
}
