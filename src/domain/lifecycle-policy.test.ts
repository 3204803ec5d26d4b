import { describe, expect, it } from "vitest";
import { assertCanRotate, canRotate } from "./lifecycle-policy.ts";
import type { Credential } from "./types.ts";

const active = { status: "ACTIVE", rotatedTo: null, expiresAt: null } as const;

describe("canRotate", () => {
  it("is what assertCanRotate admits: an ACTIVE credential not already being rotated", () => {
    const cases = [
      active,
      { ...active, status: "DISABLED" },
      { ...active, rotatedTo: "successor" },
      { ...active, expiresAt: new Date(0) },
    ] as const;
    for (const credential of cases) {
      const admitted = (() => {
        try {
          assertCanRotate(credential as unknown as Credential);
          return true;
        } catch {
          return false;
        }
      })();
      expect(canRotate(credential), JSON.stringify(credential)).toBe(admitted);
    }
    expect(canRotate(active)).toBe(true);
  });
});
