import { invalidParameter } from "./errors.ts";
import { parseRateLimit } from "./rate-limit.ts";

/** How many categories one account may have overridden. */
export const MAX_RATE_LIMIT_OVERRIDES = 32;

/** An operator's changes to an account's overrides: a limit per category, or null for the default. */
export type RateLimitChanges = Readonly<Record<string, string | null>>;

/** Refuses a change of an unknown category, or to something that is not a limit. */
export function assertRateLimitChanges(changes: RateLimitChanges, categories: readonly string[]): void {
  for (const [category, value] of Object.entries(changes)) {
    if (!categories.includes(category)) {
      throw invalidParameter(`limits.${category}`, `is not a category (${categories.join(", ")})`);
    }
    if (value !== null && !parseRateLimit(value)) {
      throw invalidParameter(
        `limits.${category}`,
        "must be requests/window such as 100/1s, 1000/1m or 20000/1h",
      );
    }
  }
}

/**
 * The overrides once the changes are made to the current ones (categories not named keep theirs),
 * or null when that would be more than MAX_RATE_LIMIT_OVERRIDES. The store applies this to the
 * overrides it holds, under the account's lock, so concurrent changes never undo each other.
 */
export function applyRateLimitChanges(
  current: Readonly<Record<string, string>>,
  changes: RateLimitChanges,
): Record<string, string> | null {
  const next: Record<string, string> = { ...current };
  for (const [category, value] of Object.entries(changes)) {
    if (value === null) delete next[category];
    else next[category] = value;
  }
  return Object.keys(next).length > MAX_RATE_LIMIT_OVERRIDES ? null : next;
}
