import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./process.ts";

/** The configuration reference and src/config.ts name the same settings: neither can drift. */
const config = readFileSync(join(ROOT, "src/config.ts"), "utf8");
const reference = readFileSync(join(ROOT, "docs/configuration.md"), "utf8");

/** Every variable config.ts reads: the name right after `env,` in a reader's call. */
function read(): Set<string> {
  const names = [...config.matchAll(/\(\s*env,\s*"([A-Z][A-Z0-9_]+)"(?:,\s*"([A-Z][A-Z0-9_]+)")?/g)].flatMap(
    (m) => [m[1], m[2]].filter((name): name is string => name !== undefined && /_|^[A-Z]+$/.test(name)),
  );
  return new Set(names.filter((name) => !/^(FULL|NORMAL)$/.test(name)));
}

/** The names in the first column of the reference's tables. */
function documented(): Set<string> {
  const rows = reference.split("\n").filter((line) => line.startsWith("| `"));
  return new Set(
    rows.flatMap((row) =>
      [...(row.split("|")[1] ?? "").matchAll(/`([A-Z][A-Z0-9_<>]+)`/g)].map((m) => m[1] ?? ""),
    ),
  );
}

describe("the configuration reference", () => {
  it("documents every setting the service reads, and no other", () => {
    const settings = read();
    const docs = documented();
    const covered = (name: string) =>
      docs.has(name) || (name.startsWith("RATE_LIMIT_") && docs.has("RATE_LIMIT_<CATEGORY>"));
    expect(
      [...settings].filter((name) => !covered(name)),
      "read by config.ts, missing from docs/configuration.md",
    ).toEqual([]);
    expect(
      [...docs].filter((name) => name !== "RATE_LIMIT_<CATEGORY>" && !settings.has(name)),
      "in docs/configuration.md, not read by config.ts",
    ).toEqual([]);
  });
});
