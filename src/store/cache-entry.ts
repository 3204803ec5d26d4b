import type { Clock } from "../domain/runtime.ts";
import type { InvalidationBus } from "./invalidation-bus.ts";

/** A value read from the store, and when the read that produced it began. */
export interface Entry<T> {
  value: T;
  at: number;
}

export interface Freshness {
  /** How long an entry is trusted while the bus delivers invalidations. */
  ttlMs: number;
  /** How long an entry is trusted when there is no working bus: the bound on staleness. */
  fallbackTtlMs: number;
}

/**
 * Whether an entry may still be served: for `ttlMs` while the bus is up, otherwise (no bus, a bus
 * down, or a negative result, which no announcement would ever clear) for `fallbackTtlMs`.
 */
export function freshnessCheck(
  options: Freshness,
  bus: InvalidationBus,
  clock: Clock,
): <T>(entry: Entry<T> | undefined) => entry is Entry<T> {
  return <T>(entry: Entry<T> | undefined): entry is Entry<T> => {
    if (!entry) return false;
    const ttl = bus.state() === "UP" && entry.value !== null ? options.ttlMs : options.fallbackTtlMs;
    return clock.now().getTime() - entry.at < ttl;
  };
}
