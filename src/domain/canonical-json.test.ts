import { describe, expect, it } from "vitest";
import { canonicalJson, MAX_JSON_DEPTH } from "./canonical-json.ts";
import { AppError } from "./errors.ts";

describe("canonicalJson", () => {
  it("sorts keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    );
  });

  it("refuses a value nested deeper than the limit with a 400, never a stack overflow", () => {
    const nested = (depth: number) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`) as unknown;
    expect(() => canonicalJson(nested(MAX_JSON_DEPTH))).not.toThrow();
    for (const depth of [MAX_JSON_DEPTH + 1, 100_000]) {
      const error = (() => {
        try {
          canonicalJson(nested(depth));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
    }
  });
});
