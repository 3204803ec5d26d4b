import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { settings } from "../src/config/settings.ts";
import { ROOT } from "./process.ts";

/**
 * No Docker engine runs where the tests do, so the image is checked by what can be checked without
 * one: the Dockerfile lints clean, and every setting the container files give names a setting the
 * service reads, so a renamed variable cannot silently fall back to a default.
 */
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");

/** Every environment variable the service declares (src/config/settings.ts). */
function configSettings(): Set<string> {
  return new Set(Object.keys(settings));
}

describe("container files", () => {
  it("the Dockerfile lints clean and copies what exists", () => {
    const lint = execFileSync(join(ROOT, "node_modules/.bin/dockerfile-utils"), ["lint", "Dockerfile"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(lint).toBe("");
    const dockerfile = read("Dockerfile");
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/cli\/main\.js"\]$/m);
    for (const [, sources] of dockerfile.matchAll(/^COPY --from=build (.+) \.\/?\S*$/gm)) {
      for (const source of (sources ?? "").split(" ")) {
        const path = source.replace(/^\/app\//, "");
        // dist/ directories are what `npm run build` makes; everything else is in the repository.
        if (!/(^|\/)dist$|node_modules|package\.json$/.test(path))
          expect(existsSync(join(ROOT, path)), path).toBe(true);
      }
    }
    const settings = configSettings();
    const env = [...dockerfile.matchAll(/^\s+([A-Z_]+)=/gm), ...dockerfile.matchAll(/^ENV ([A-Z_]+)=/gm)]
      .map((m) => m[1] ?? "")
      .filter((name) => name !== "NODE_ENV" && name !== "NODE_OPTIONS");
    expect(env.filter((name) => !settings.has(name))).toEqual([]);
  });

  it("caps the JavaScript heap of partnerctl at 1 GB, and the container's the same way", () => {
    // See docs/operations.md: without a cap, Node sizes the heap from the machine's memory.
    const probe = join(mkdtempSync(join(tmpdir(), "heap-probe-")), "probe.cjs");
    writeFileSync(
      probe,
      'process.stderr.write("heap " + require("v8").getHeapStatistics().heap_size_limit + "\\n");',
    );
    const run = spawnSync(join(ROOT, "bin/partnerctl"), ["--version"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NODE_OPTIONS: `--require ${probe}` },
    });
    expect(run.status, run.stderr).toBe(0);
    const limitMb = Number(/^heap (\d+)$/m.exec(run.stderr)?.[1]) / 1024 / 1024;
    // The old generation's 1024 MB plus the young generation's share.
    expect(limitMb).toBeGreaterThanOrEqual(1024);
    expect(limitMb).toBeLessThan(1200);
    expect(read("Dockerfile")).toMatch(/^\s+NODE_OPTIONS=--max-old-space-size=1024 \\$/m);
  });

  it("compose runs two instances whose settings the service reads, behind nginx that forwards certificates", () => {
    const compose = parse(read("compose.yaml"), { merge: true }) as {
      services: Record<
        string,
        { environment?: Record<string, string>; secrets?: string[]; depends_on?: unknown }
      >;
      secrets: Record<string, { file: string }>;
    };
    const settings = configSettings();
    const instances = Object.entries(compose.services).filter(
      ([, service]) => service.environment?.DATABASE_URL,
    );
    expect(instances.map(([name]) => name)).toEqual(["api-a", "api-b"]);
    for (const [name, service] of instances) {
      const unknown = Object.keys(service.environment ?? {}).filter((key) => !settings.has(key));
      expect(unknown, name).toEqual([]);
      expect(service.environment?.INSTANCE_COUNT).toBe(String(instances.length));
      for (const secret of service.secrets ?? []) expect(Object.keys(compose.secrets)).toContain(secret);
    }
    const nginx = read("deploy/nginx.conf");
    const header = instances[0]?.[1].environment?.CLIENT_CERT_HEADER ?? "";
    expect(nginx).toContain(
      `proxy_set_header ${header.replace(/\b\w/g, (c) => c.toUpperCase())} $ssl_client_escaped_cert;`,
    );
    expect(nginx).toContain("proxy_set_header X-Forwarded-Proto https;");
    for (const [name] of instances) expect(nginx).toContain(`server ${name}:8080;`);
  });
});
