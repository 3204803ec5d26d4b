import type { RateDecision, RateLimit } from "../domain/rate-limit.ts";
import type { RateCounter } from "./rate-limiter.ts";

/**
 * Counts failures (wrong keys, wrong operator tokens, unknown onboarding links) per key, such as a
 * source address. Only failures are counted and only failures are refused: whoever holds the real
 * secret is never locked out by someone else's guessing.
 */
export class FailureThrottle {
  readonly #counter: RateCounter;
  readonly #limit: RateLimit;
  readonly #prefix: string;

  constructor(counter: RateCounter, limit: RateLimit, prefix: string) {
    this.#counter = counter;
    this.#limit = limit;
    this.#prefix = prefix;
  }

  /** A refusal when `key` has failed too often already; counts nothing. */
  async blocked(key: string): Promise<RateDecision | null> {
    const state = await this.#counter.peek(`${this.#prefix}:${key}`, this.#limit);
    return state && state.remaining === 0 ? { ...state, allowed: false } : null;
  }

  /** Records one failure; a refusal when this one crossed the limit. */
  async record(key: string): Promise<RateDecision | null> {
    const decision = await this.#counter.consume(`${this.#prefix}:${key}`, this.#limit);
    return decision.allowed ? null : decision;
  }

  /**
   * Takes a failure slot before the attempt is judged, atomically: the answer says whether one was
   * left (`allowed`, with what `remaining` after it) or the key is over its limit (the point taken to
   * find out is given back, so a refused attempt counts nothing). An attempt that then succeeds
   * gives its slot back with `refund`; a failed one keeps it. Unlike `blocked` then `record`, any
   * number of attempts in parallel cannot get more than the limit judged.
   */
  async reserve(key: string): Promise<RateDecision> {
    const decision = await this.#counter.consume(`${this.#prefix}:${key}`, this.#limit);
    if (!decision.allowed) await this.refund(key);
    return decision;
  }

  /** Gives back a slot `reserve` took, when the attempt succeeded (or was never judged). */
  async refund(key: string): Promise<void> {
    await this.#counter.refund(`${this.#prefix}:${key}`, this.#limit);
  }

  /** A failure happened: a refusal if `key` was already over its limit or is now. */
  async failed(key: string): Promise<RateDecision | null> {
    return (await this.blocked(key)) ?? (await this.record(key));
  }
}
