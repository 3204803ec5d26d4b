import { describe, expect, it } from "vitest";
import { AppError } from "./errors.ts";
import {
  applyRateLimitChanges,
  assertRateLimitChanges,
  MAX_RATE_LIMIT_OVERRIDES,
} from "./rate-limit-overrides.ts";

describe("applyRateLimitChanges", () => {
  it("sets and clears the categories named, and leaves the others alone", () => {
    const current = { API: "10/1s", CLIENT_SESSIONS: "5/1s" };
    expect(applyRateLimitChanges(current, { API: null, PARTNER_MANAGEMENT: "20/1m" })).toEqual({
      CLIENT_SESSIONS: "5/1s",
      PARTNER_MANAGEMENT: "20/1m",
    });
    expect(current).toEqual({ API: "10/1s", CLIENT_SESSIONS: "5/1s" });
  });

  it("refuses more than the maximum, counting what stays", () => {
    const full = Object.fromEntries(
      Array.from({ length: MAX_RATE_LIMIT_OVERRIDES }, (_, i) => [`C${i}`, "1/1s"]),
    );
    expect(applyRateLimitChanges(full, { C0: "2/1s" })).not.toBeNull();
    expect(applyRateLimitChanges(full, { EXTRA: "1/1s" })).toBeNull();
    expect(applyRateLimitChanges(full, { C0: null, EXTRA: "1/1s" })).not.toBeNull();
  });
});

describe("assertRateLimitChanges", () => {
  const categories = ["API", "PARTNER_MANAGEMENT"];

  it("accepts limits and nulls of known categories", () => {
    expect(() =>
      assertRateLimitChanges({ API: "100/1s", PARTNER_MANAGEMENT: null }, categories),
    ).not.toThrow();
  });

  it.each([[{ NOPE: "1/1s" }], [{ API: "fast" }], [{ API: "0/1s" }]])("refuses %j", (changes) => {
    expect(() => assertRateLimitChanges(changes, categories)).toThrow(AppError);
  });
});
