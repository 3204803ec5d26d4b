import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { onboardThroughProcess, partnerApi } from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { freePort, ROOT, type ServerProcess, startServerProcess } from "./process.ts";

/** The JavaScript `npm run build` emits runs the service under plain `node`, without tsx. */
const dir = mkdtempSync(join(tmpdir(), "compiled-build-"));
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("the compiled build", () => {
  it("serves the whole onboarding and credential flow from dist/ under plain node", async () => {
    // `npm test` builds first; a lone run of this file builds if it must.
    if (!existsSync(join(ROOT, "dist/cli/main.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT });
    expect(execFileSync("node", ["dist/cli/main.js", "--version"], { cwd: ROOT, encoding: "utf8" })).toMatch(
      /^\d+\.\d+\.\d+\n$/,
    );
    server = await startServerProcess({
      port: await freePort(),
      dataDir: join(dir, "data"),
      env: { ADMIN_TOKEN, PEPPER, TLS_PORT: "off" },
      compiled: true,
    });
    const partner = await onboardThroughProcess(server, "Compiled Partner");
    const created = await partnerApi(server, partner.apiKey, "POST", "/v1/account/credentials", {
      type: "API",
      environment: "TEST",
    });
    expect(created.status).toBe(200);
    expect(String(created.body.api_key)).toMatch(/^klarna_test_api_/);
    expect((await fetch(`${server.url}/guide`)).status).toBe(200);
  }, 60_000);
});
