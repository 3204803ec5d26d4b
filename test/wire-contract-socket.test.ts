import { mkdtempSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onboardThroughProcess, type ProcessPartner } from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { freePort, type ServerProcess, startServerProcess } from "./process.ts";
import { tlsRequest } from "./tls-client.ts";

/** The wire contract's essentials over real sockets, against `partnerctl serve`. */
const outside = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

let server: ServerProcess;
let partner: ProcessPartner;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "wire-contract-"));
  server = await startServerProcess({
    port: await freePort(),
    dataDir: join(dir, "data"),
    // Every interface, so that a client from a non-loopback address can be shown the door.
    env: { HOST: "0.0.0.0", ADMIN_TOKEN, PEPPER, PUBLIC_URL: "https://partners.example" },
  });
  partner = await onboardThroughProcess(server, "Socket Partner");
}, 30_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const send = (
  path: string,
  init: { method?: string; authorization?: string; body?: unknown; headers?: Record<string, string> } = {},
) =>
  fetch(`${server.url}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: init.authorization ?? `Basic ${partner.apiKey}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

describe("wire contract over a socket", () => {
  it("speaks the documented forms", async () => {
    const written = await send("/v1/account", {
      authorization: `Basic ${partner.credentialId}:${partner.apiKey}`,
    });
    expect(written.status).toBe(200);
    expect(written.headers.get("x-ratelimit-limit")).toMatch(/^(\d+), \1;w=\d+$/);
    const wrongUuid = await send("/v1/account", {
      authorization: `Basic ${Buffer.from(`00000000-0000-7000-8000-000000000000:${partner.apiKey}`).toString("base64")}`,
    });
    expect(wrongUuid.status).toBe(401);

    const v1 = await send("/v1/account/credentials", {
      method: "POST",
      body: { type: "API", environment: "TEST" },
    });
    expect(v1.status).toBe(200);
    const v2 = await send("/v2/account/integration/credentials/api-key", {
      method: "POST",
      body: { environment: "TEST", description: "socket" },
    });
    expect(v2.status).toBe(201);
    const invalid = await send("/v2/account/integration/credentials/api-key", {
      method: "POST",
      body: { environment: "PROD" },
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      error_type: "INPUT_ERROR",
      error_code: "VALIDATION_ERROR",
      doc_url: "https://partners.example/guide#key-format-http-conventions-audit",
      errors: [{ parameter: "environment", error_message: expect.any(String) }],
    });
    const warned = await send("/v1/account", { headers: { "partner-correlation-id": "not-alphanumeric" } });
    expect(warned.status).toBe(200);
    expect(warned.headers.get("warning")).toMatch(/Partner-Correlation-Id ignored/);
  });

  it.skipIf(outside === undefined)(
    "refuses plain HTTP from another host, and serves it over HTTPS with the downloaded CA",
    async () => {
      const plain = await fetch(`http://${outside}:${new URL(server.url).port}/v1/account`, {
        headers: { authorization: `Basic ${partner.apiKey}` },
      });
      expect(plain.status).toBe(403);
      expect(await plain.json()).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "TLS_REQUIRED" });

      const ca = await send("/v1/account/client-certificates/ca");
      expect(ca.status).toBe(200);
      const caPem = await ca.text();
      expect(caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const secure = await tlsRequest({
        url: `https://${outside}:${new URL(server.tlsUrl).port}`,
        path: "/v1/account",
        caPem,
        headers: { authorization: `Basic ${partner.apiKey}` },
      });
      expect(secure.status).toBe(200);
      expect(JSON.parse(secure.body)).toMatchObject({ account_id: partner.accountId });
    },
  );
});

if (outside === undefined)
  console.log("no non-loopback IPv4 interface: the plain-HTTP refusal over a socket is skipped");
