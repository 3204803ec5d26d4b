import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./process.ts";

/** Every Markdown document of the project: the README, the benchmarks and the guides. */
const DOCUMENTS = [
  "README.md",
  "BENCHMARKS.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

/** The relative targets of a document's Markdown links and images (external links left out). */
function relativeLinks(markdown: string): string[] {
  const targets: string[] = [];
  for (const match of markdown.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = (match[1] ?? "").split("#")[0] ?? "";
    if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    targets.push(target);
  }
  return targets;
}

describe("documentation links", () => {
  it.each(DOCUMENTS)("%s links only to files that exist", (document) => {
    const missing = relativeLinks(readFileSync(join(ROOT, document), "utf8")).filter(
      (target) => !existsSync(join(ROOT, dirname(document), decodeURIComponent(target))),
    );
    expect(missing).toEqual([]);
  });

  it("the console guide shows every console page at both widths, and the README links to it", () => {
    const guide = readFileSync(join(ROOT, "docs", "console.md"), "utf8");
    const shots = readdirSync(join(ROOT, "docs", "console")).filter((name) => name.endsWith(".png"));
    expect(shots.length).toBeGreaterThanOrEqual(30);
    for (const shot of shots) expect(guide).toContain(`(console/${shot})`);
    for (const page of new Set(shots.map((shot) => shot.replace(/-(1280|390)\.png$/, "")))) {
      expect(shots).toEqual(expect.arrayContaining([`${page}-1280.png`, `${page}-390.png`]));
    }
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(
      "(docs/console.md#screenshots-and-the-browser-test)",
    );
  });
});
