import { describe, expect, it } from "vitest";
import { LIFECYCLE_RULES, LIFECYCLE_TABLE, ROTATION_RULES } from "./lifecycle-rules.ts";

describe("the lifecycle table", () => {
  it("has one entry per rule, and the rotation sweep runs the rotation rules only", () => {
    expect(Object.keys(LIFECYCLE_TABLE).sort()).toEqual([...LIFECYCLE_RULES].sort());
    expect(ROTATION_RULES).toEqual(["ROTATION_EXPIRED", "ROTATION_OLD_KEY_IDLE"]);
  });

  it("only ever disables ACTIVE credentials and deletes DISABLED ones", () => {
    for (const rule of LIFECYCLE_RULES) {
      const { selects, effect } = LIFECYCLE_TABLE[rule];
      if (effect.to === "DELETED") expect(selects.status).toBe("DISABLED");
      else expect(selects.status).toBe("ACTIVE");
    }
  });
});
