import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The layering rules of docs/architecture.md are enforced by the repository's own biome.json: each
 * fixture below breaks exactly one rule, is written at the path the rule guards in a scratch copy of
 * the project layout, and must be reported as an error under that rule's name (so `npm run lint`,
 * and with it CI, fails). Removing a rule from biome.json, or lowering it to a warning, fails here.
 */

const ROOT = new URL("../", import.meta.url).pathname;
const BIOME = join(ROOT, "node_modules/.bin/biome");

interface Diagnostic {
  severity: string;
  category?: string;
  location?: { path?: string };
}

interface LintRun {
  status: number | null;
  diagnostics: Diagnostic[];
}

interface Breach {
  breaks: string;
  path: string;
  source: string;
  rule: string;
}

const BREACHES: Breach[] = [
  {
    breaks: "domain/ reading a file (node:fs)",
    path: "src/domain/reads-file.ts",
    source: `import { readFileSync } from "node:fs";

export function loadPolicy(path: string): string {
  return readFileSync(path, "utf8");
}
`,
    rule: "lint/style/noRestrictedImports",
  },
  {
    breaks: "domain/ opening a socket (node:net beyond the address helpers)",
    path: "src/domain/opens-socket.ts",
    source: `import { createConnection } from "node:net";

export function probe(port: number): boolean {
  return createConnection(port).readable;
}
`,
    rule: "lint/style/noRestrictedImports",
  },
  {
    breaks: "domain/ importing the web framework",
    path: "src/domain/uses-fastify.ts",
    source: `import type { FastifyRequest } from "fastify";

export function pathOf(request: FastifyRequest): string {
  return request.url;
}
`,
    rule: "lint/style/noRestrictedImports",
  },
  {
    breaks: "domain/ importing a framework plugin (@fastify/*)",
    path: "src/domain/uses-fastify-plugin.ts",
    source: `import swagger from "@fastify/swagger";

export const plugin: unknown = swagger;
`,
    rule: "lint/style/noRestrictedImports",
  },
  {
    breaks: "services/ writing SQL (kysely)",
    path: "src/services/queries-sql.ts",
    source: `import { sql } from "kysely";

export const everyAccount: unknown = sql\`select * from accounts\`;
`,
    rule: "lint/style/noRestrictedImports",
  },
  {
    breaks: "services/ talking to Redis (ioredis)",
    path: "src/services/uses-redis.ts",
    source: `import type { Redis } from "ioredis";

export function keyCount(redis: Redis): Promise<number> {
  return redis.dbsize();
}
`,
    rule: "lint/style/noRestrictedImports",
  },
  {
    breaks: "process.env read outside src/config.ts",
    path: "src/http/reads-env.ts",
    source: `export function listenPort(): number {
  return Number(process.env.PORT ?? 8080);
}
`,
    rule: "lint/style/noProcessEnv",
  },
  {
    breaks: "a floating promise",
    path: "src/services/floating.ts",
    source: `async function notify(): Promise<void> {
  await Promise.resolve();
}

export function handle(): void {
  notify();
}
`,
    rule: "lint/nursery/noFloatingPromises",
  },
  {
    breaks: "a value import used only as a type",
    path: "src/services/value-import-of-type.ts",
    source: `import { Clock } from "../domain/runtime.ts";

export function nowOf(clock: Clock): Date {
  return clock.now();
}
`,
    rule: "lint/style/useImportType",
  },
];

/** What each layer may do: the same rules, kept. */
const CLEAN: Record<string, string> = {
  "src/domain/ip-rules.ts": `import { BlockList, isIP } from "node:net";

export function allowList(addresses: string[]): BlockList {
  const list = new BlockList();
  for (const address of addresses) list.addAddress(address, isIP(address) === 6 ? "ipv6" : "ipv4");
  return list;
}
`,
  "src/services/use-case.ts": `import type { Clock } from "../domain/runtime.ts";

async function notify(): Promise<void> {
  await Promise.resolve();
}

export async function handle(clock: Clock): Promise<Date> {
  await notify();
  // Fire-and-forget on purpose: the outcome is reported by its own handler.
  void notify().catch(() => undefined);
  return clock.now();
}
`,
  "src/config.ts": `export const port = Number(process.env.PORT ?? 8080);
`,
  "test/env.test.ts": `export const databaseUrl = process.env.TEST_DATABASE_URL;
`,
  "src/store/queries.ts": `import { sql } from "kysely";

export const everyAccount: unknown = sql\`select * from accounts\`;
`,
  "src/redis/client.ts": `import { Redis } from "ioredis";

export function connect(url: string): Redis {
  return new Redis(url);
}
`,
  "src/http/app.ts": `import fastify, { type FastifyInstance } from "fastify";

export function buildApp(): FastifyInstance {
  return fastify();
}
`,
};

let scratch: string;

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
}

function lint(root: string, paths: string[]): LintRun {
  const run = spawnSync(
    BIOME,
    ["lint", "--vcs-enabled=false", "--reporter=json", "--max-diagnostics=none", ...paths],
    { cwd: root, encoding: "utf8" },
  );
  const report = JSON.parse(run.stdout) as { diagnostics: Diagnostic[] };
  return { status: run.status, diagnostics: report.diagnostics };
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "layering-lint-"));
  writeTree(join(scratch, "breaches"), Object.fromEntries(BREACHES.map((b) => [b.path, b.source])));
  copyFileSync(join(ROOT, "biome.json"), join(scratch, "breaches", "biome.json"));
  writeTree(join(scratch, "clean"), CLEAN);
  copyFileSync(join(ROOT, "biome.json"), join(scratch, "clean", "biome.json"));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe("layering rules in biome.json", () => {
  it.each(BREACHES)("reports $breaks as $rule, an error", ({ path, rule }) => {
    const { status, diagnostics } = lint(join(scratch, "breaches"), [path]);
    expect(diagnostics.map((d) => [d.category, d.severity, d.location?.path])).toEqual(
      diagnostics.map(() => [rule, "error", path]),
    );
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(status).not.toBe(0);
  });

  it("passes code that keeps every layer's rules", () => {
    const { status, diagnostics } = lint(join(scratch, "clean"), Object.keys(CLEAN));
    expect(diagnostics).toEqual([]);
    expect(status).toBe(0);
  });
});
