import { AppError } from "./errors.ts";

/** `requests/window`, e.g. `50/1s`, `1000/1m`, `20000/1h`. */
export interface RateLimit {
  points: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  /** Every limit the request was counted against (the member's, and its family's when it has one). */
  policies: readonly RateLimit[];
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/**
 * The X-Ratelimit-* headers of a decision (and Retry-After when it refuses). The limit carries each
 * applying window as a policy, as the reference API does: `X-Ratelimit-Limit: 40, 40;w=1`.
 */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Ratelimit-Limit": limitHeader(decision),
    "X-Ratelimit-Remaining": String(decision.remaining),
    "X-Ratelimit-Reset": String(decision.resetSeconds),
  };
  if (!decision.allowed) headers["Retry-After"] = String(decision.resetSeconds);
  return headers;
}

/** `40, 40;w=1`: the limit, then each distinct policy once. */
function limitHeader(decision: RateDecision): string {
  let text = String(decision.limit);
  const seen: string[] = [];
  for (const policy of decision.policies) {
    const item = `${policy.points};w=${policy.windowSeconds}`;
    if (seen.includes(item)) continue;
    seen.push(item);
    text += `, ${item}`;
  }
  return text;
}

export function rateLimited(decision: RateDecision, what: string): AppError {
  return new AppError("RATE_LIMITED", `Too many ${what}; retry after ${decision.resetSeconds} s`, undefined, {
    headers: rateLimitHeaders(decision),
  });
}

export function parseRateLimit(text: string): RateLimit | null {
  const match = /^(\d{1,9})\/(\d{1,6})(s|m|h)$/.exec(text.trim());
  if (!match) return null;
  const points = Number(match[1]);
  const windowSeconds = Number(match[2]) * (UNIT_SECONDS[match[3] ?? "s"] ?? 1);
  if (points < 1 || windowSeconds < 1) return null;
  return { points, windowSeconds };
}

export function formatRateLimit(limit: RateLimit): string {
  return `${limit.points}/${limit.windowSeconds}s`;
}
