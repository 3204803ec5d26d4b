import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { updateReference } from "../src/config/reference.ts";
import { ROOT } from "./process.ts";

/** docs/configuration.md's tables are generated from the settings' declarations: they cannot drift. */
describe("the configuration reference", () => {
  it("is what `npm run docs:config` generates from src/config/settings.ts", () => {
    const reference = readFileSync(join(ROOT, "docs/configuration.md"), "utf8");
    expect(updateReference(reference), "run `npm run docs:config` and commit docs/configuration.md").toBe(
      reference,
    );
  });

  it("refuses a reference without its generated blocks", () => {
    expect(() => updateReference("# Configuration\n")).toThrow(/no settings block/);
  });
});
