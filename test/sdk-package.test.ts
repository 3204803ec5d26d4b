import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardThroughProcess, type ProcessPartner, setRateLimit } from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { freePort, ROOT, type ServerProcess, startServerProcess } from "./process.ts";

/**
 * The SDK as a partner gets it: the packed tarball installed into a scratch project, compiled with
 * `tsc --module nodenext --strict`, and run under plain `node` against a live server.
 */
let server: ServerProcess;
let partner: ProcessPartner;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sdk-package-"));
  server = await startServerProcess({
    port: await freePort(),
    dataDir: join(dir, "data"),
    env: { ADMIN_TOKEN, PEPPER, TLS_PORT: "off" },
  });
  partner = await onboardThroughProcess(server, "SDK Partner");
}, 30_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const CONSUMER = `
import { NotFoundError, PartnerClient, ValidationError } from "@partner-credentials/client";
import type { Credential } from "@partner-credentials/client";

const client = new PartnerClient({
  baseUrl: process.env.BASE_URL ?? "",
  apiKey: process.env.API_KEY ?? "",
  retries: { baseDelayMs: 50 },
});
const created = await client.createCredential({ type: "API", environment: "TEST", description: "from the sdk" });
const replayKey = "order 4711";
const first = await client.createCredential({ type: "API", environment: "TEST" }, { idempotencyKey: replayKey });
const again = await client.createCredential({ type: "API", environment: "TEST" }, { idempotencyKey: replayKey });
const seen: Credential[] = [];
for await (const credential of client.credentials({ page_size: 1 })) seen.push(credential);
let notFound = "";
try {
  await client.getCredential("00000000-0000-7000-8000-000000000000");
} catch (error) {
  if (error instanceof NotFoundError) notFound = \`\${error.errorCode} \${error.errorId ? "id" : ""} \${error.correlationId ? "corr" : ""}\`;
}
let invalid = "";
try {
  await client.createCredential({ type: "API", environment: "PROD" as "LIVE" });
} catch (error) {
  if (error instanceof ValidationError) invalid = error.errors.map((e) => e.parameter).join(",");
}
// Past the account's rate limit: retried after Retry-After, never failed.
const burst = await Promise.all(Array.from({ length: 6 }, () => client.getAccount()));
const ca = await client.getCaCertificate();
console.log(JSON.stringify({
  key: created.api_key?.startsWith("klarna_test_api_") ?? false,
  replayed: first.credential_id === again.credential_id,
  listed: seen.length,
  notFound,
  invalid,
  burst: burst.every((account) => account.account_id === process.env.ACCOUNT_ID),
  ca: ca.startsWith("-----BEGIN CERTIFICATE-----"),
}));
`;

describe("the SDK package", () => {
  it("installs from its tarball, compiles strictly in a consumer and works against a live server", async () => {
    const packDir = join(dir, "pack");
    mkdirSync(packDir);
    const tarball = execFileSync(
      "npm",
      ["pack", "--pack-destination", packDir, "-w", "@partner-credentials/client"],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    )
      .trim()
      .split("\n")
      .pop();
    const packed = join(packDir, tarball ?? "");
    const consumer = join(dir, "consumer");
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, "package.json"),
      JSON.stringify({
        name: "consumer",
        private: true,
        type: "module",
        dependencies: { "@partner-credentials/client": `file:${packed}` },
      }),
    );
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund"], {
      cwd: consumer,
      encoding: "utf8",
    });
    const manifest = JSON.parse(
      readFileSync(join(consumer, "node_modules/@partner-credentials/client/package.json"), "utf8"),
    ) as { dependencies?: object; files: string[] };
    expect(manifest.dependencies ?? {}).toEqual({});
    writeFileSync(join(consumer, "index.ts"), CONSUMER);
    execFileSync(
      join(ROOT, "node_modules/.bin/tsc"),
      [
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--target",
        "es2022",
        "--lib",
        "es2022,dom,dom.iterable",
        "--strict",
        // A consumer's own Node types (the SDK itself needs none).
        "--typeRoots",
        join(ROOT, "node_modules/@types"),
        "--types",
        "node",
        "index.ts",
      ],
      { cwd: consumer, encoding: "utf8" },
    );
    await setRateLimit(server.internalUrl, partner.accountId, { PARTNER_MANAGEMENT: "3/1s" });
    const output = execFileSync("node", ["index.js"], {
      cwd: consumer,
      encoding: "utf8",
      env: { ...process.env, BASE_URL: server.url, API_KEY: partner.apiKey, ACCOUNT_ID: partner.accountId },
    });
    expect(JSON.parse(output.trim())).toEqual({
      key: true,
      replayed: true,
      listed: 3,
      notFound: "NOT_FOUND id corr",
      invalid: "environment",
      burst: true,
      ca: true,
    });
  }, 120_000);
});
