import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiError, PartnerClient } from "@partner-credentials/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_PATTERN } from "../src/domain/key-format.ts";
import { freePort, partnerctl, rawRequest, type ServerProcess, startServerProcess } from "./process.ts";
import { type ProcessBackend, processBackend } from "./process-backend.ts";

let dataDir: string;
let server: ServerProcess;
let connection: string[];
let backend: ProcessBackend;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-e2e-"));
  backend = await processBackend();
  server = await startServerProcess({
    port: await freePort(),
    dataDir,
    env: { LOG_LEVEL: "trace", ...backend.env },
  });
  connection = ["--url", server.internalUrl, "--data-dir", dataDir];
});
afterAll(async () => {
  if (server.child.exitCode === null) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  await backend.cleanup();
});

describe("a real server process, the partnerctl CLI and the SDK", () => {
  it("manages service tokens with partnerctl, on the internal listener by default", async () => {
    // No --url: `partnerctl admin` finds the internal listener from INTERNAL_HOST/INTERNAL_PORT.
    const env = { INTERNAL_PORT: new URL(server.internalUrl).port };
    const created = await partnerctl(
      ["admin", "service-tokens", "create", "--name", "payments-edge", "--json", "--data-dir", dataDir],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const { service_token_id, token } = JSON.parse(created.stdout) as {
      service_token_id: string;
      token: string;
    };
    expect(token).toMatch(/^pcst_/);
    const authorize = () =>
      fetch(`${server.internalUrl}/internal/v1/authorize`, { headers: { "x-service-token": token } });
    expect((await (await authorize()).json()) as object).toMatchObject({ error_code: "UNAUTHORIZED" });
    const listed = await partnerctl(["admin", "service-tokens", "list", "--data-dir", dataDir], env);
    expect(listed.stdout).toMatch(new RegExp(`${service_token_id}\\s+ACTIVE\\s+\\S+\\s+payments-edge`));
    expect(listed.stdout).not.toContain(token);
    const revoked = await partnerctl(
      ["admin", "service-tokens", "revoke", service_token_id, "--data-dir", dataDir],
      env,
    );
    expect(revoked.stdout).toContain("REVOKED");
    expect((await (await authorize()).json()) as object).toMatchObject({
      error_code: "SERVICE_UNAUTHORIZED",
    });
    // The partners' listener serves none of it.
    expect((await fetch(`${server.url}/admin/v1/service-tokens`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it("runs the whole onboarding and credential flow, then shuts down gracefully", async () => {
    expect(statSync(join(dataDir, "admin-token")).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, "pepper")).mode & 0o777).toBe(0o600);
    expect(server.output()).toContain(join(dataDir, "admin-token"));

    const created = await partnerctl([
      "admin",
      "accounts",
      "create",
      "--name",
      "Acme Payments",
      "--json",
      ...connection,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const account = JSON.parse(created.stdout) as {
      account_id: string;
      onboarding_url: string;
      expires_at: string;
    };
    expect(Object.keys(account).sort()).toEqual(["account_id", "expires_at", "onboarding_url"]);
    expect(account.account_id).toMatch(/^krn:partner:global:account:live:[A-Z0-9]{8}$/);

    const human = await partnerctl([
      "admin",
      "accounts",
      "create",
      "--name",
      "Test Co",
      "--environment",
      "test",
      ...connection,
    ]);
    expect(human.stdout).toMatch(/Account created: krn:partner:global:account:test:[A-Z0-9]{8}/);
    expect(human.stdout).toContain("/onboarding/");

    const relinked = await partnerctl([
      "admin",
      "accounts",
      "link",
      account.account_id,
      "--json",
      ...connection,
    ]);
    const link = JSON.parse(relinked.stdout) as { onboarding_url: string };
    expect(link.onboarding_url).not.toBe(account.onboarding_url);
    const stale = await fetch(account.onboarding_url, { method: "POST" });
    expect(stale.status).toBe(410);

    const page = await fetch(link.onboarding_url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Reveal my API key");
    const claim = await fetch(link.onboarding_url, {
      method: "POST",
      headers: { accept: "application/json" },
    });
    expect(claim.status).toBe(201);
    const initial = (await claim.json()) as { api_key: string; credential_id: string };
    expect(initial.api_key).toMatch(KEY_PATTERN);

    const client = new PartnerClient({ baseUrl: server.url, apiKey: initial.api_key });
    const api = await client.createCredential({ type: "API", environment: "TEST", description: "checkout" });
    const web = await client.createCredential({
      type: "CLIENT",
      environment: "LIVE",
      description: "web shop",
    });
    expect(web.client_id).toMatch(/^klarna_live_client_/);
    const listed = await client.listCredentials();
    expect(listed.credentials.map((c) => c.description).sort()).toEqual([
      "Initial API key",
      "checkout",
      "web shop",
    ]);

    const child = await client.createPartnerAccount({ name: "Shop One" });
    const childKey = await client
      .forPartnerAccount(child.account_id)
      .createCredential({ type: "API", environment: "LIVE" });
    const childClient = new PartnerClient({ baseUrl: server.url, apiKey: childKey.api_key ?? "" });
    expect((await childClient.getAccount()).parent_account_id).toBe(account.account_id);
    await expect(childClient.forPartnerAccount(account.account_id).listCredentials()).rejects.toMatchObject({
      status: 404,
      errorCode: "NOT_FOUND",
    });

    const apiClient = new PartnerClient({ baseUrl: server.url, apiKey: api.api_key ?? "" });
    await apiClient.getAccount();
    await client.disableCredential(api.credential_id);
    const refused = await apiClient.getAccount().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 401, errorCode: "UNAUTHORIZED" });
    await client.enableCredential(api.credential_id);
    expect((await apiClient.getAccount()).account_id).toBe(account.account_id);

    const listedAccounts = await partnerctl(["admin", "accounts", "list", ...connection]);
    expect(listedAccounts.stdout).toMatch(/^ACCOUNT_ID\s+TYPE\s+ENVIRONMENT\s+MTLS_ENFORCED/);
    expect(listedAccounts.stdout).toContain("Acme Payments");
    expect(listedAccounts.stdout).toContain("Shop One");
    const audit = await partnerctl(["admin", "audit", "verify", account.account_id, ...connection]);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/intact, \d+ events/);

    // A request Node cannot parse gets the contract's error body, and its raw bytes are not logged.
    const raw = await rawRequest(
      server.url,
      `GET /v1/account HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${initial.api_key}\r\nBroken header line\r\n\r\n`,
    );
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4))).toMatchObject({
      error_type: "INPUT_ERROR",
      error_code: "VALIDATION_ERROR",
    });
    const oversized = await rawRequest(
      server.url,
      `GET /v1/account HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${initial.api_key}\r\nX-Fill: ${"y".repeat(70_000)}\r\n\r\n`,
    );
    expect(oversized).toMatch(/^HTTP\/1\.1 431 /);
    expect(oversized).toContain('"error_code":"HEADERS_TOO_LARGE"');

    const limits = await partnerctl([
      "admin",
      "accounts",
      "limits",
      account.account_id,
      "--set",
      "PARTNER_MANAGEMENT=100/1s",
      ...connection,
    ]);
    expect(limits.stdout).toMatch(/PARTNER_MANAGEMENT\s+100\/1s\s+override/);
    expect(limits.stdout).toMatch(/CLIENT_SESSIONS\s+100\/1s\s+default/);

    const health = await fetch(`${server.url}/readyz`);
    expect(await health.json()).toEqual({
      status: "ready",
      store: "ok",
      invalidation_bus: "LOCAL",
      rate_limits: "LOCAL",
    });

    // SIGTERM: stops, flushes the last-use records it was holding, closes the store, exits 0.
    expect(await server.stop()).toBe(0);
    const store = await backend.open(dataDir);
    const flushed = await store.findCredential(account.account_id, initial.credential_id);
    await store.close();
    expect(flushed?.lastUsedAt).not.toBeNull();

    const logs = server.output();
    for (const secret of [initial.api_key, api.api_key ?? "", link.onboarding_url.split("/").pop() ?? ""]) {
      expect(logs.includes(secret)).toBe(false);
    }
    expect(logs).not.toContain(readFileSync(join(dataDir, "admin-token"), "utf8").trim());
  });

  it("partnerctl explains what is wrong instead of failing obscurely", async () => {
    const unreachable = await partnerctl([
      "admin",
      "accounts",
      "list",
      "--url",
      "http://127.0.0.1:1",
      "--data-dir",
      dataDir,
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("Cannot reach the server");
    const noToken = await partnerctl(["admin", "accounts", "list", "--data-dir", join(dataDir, "missing")], {
      ADMIN_TOKEN: "",
    });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain("No operator token");
    const badEnv = await partnerctl(["admin", "accounts", "list"], { PORT: "abc" });
    expect(badEnv.stderr).toContain("Invalid configuration: PORT");
  });

  it("exits with a message, instead of serving half-started, when a port is taken", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const busyPort = (busy.address() as { port: number }).port;
    const busyDir = mkdtempSync(join(tmpdir(), "partner-credentials-busy-"));
    try {
      const started = startServerProcess({ port: busyPort, dataDir: busyDir, env: { TLS_PORT: "off" } });
      await expect(started).rejects.toThrow(/exited \(code 1\)[\s\S]*EADDRINUSE/);
      // The HTTPS port taken: no plain-HTTP-only service either.
      const tlsTaken = startServerProcess({
        port: await freePort(),
        dataDir: busyDir,
        env: { TLS_PORT: String(busyPort) },
      });
      await expect(tlsTaken).rejects.toThrow(/exited \(code 1\)[\s\S]*EADDRINUSE/);
    } finally {
      busy.close();
      rmSync(busyDir, { recursive: true, force: true });
    }
  });

  it("`npm start` (the README's start command) serves on the embedded SQLite default", async () => {
    const npmDataDir = mkdtempSync(join(tmpdir(), "partner-credentials-npm-"));
    const viaNpm = await startServerProcess({ port: await freePort(), dataDir: npmDataDir, viaNpm: true });
    try {
      const ready = await fetch(`${viaNpm.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(statSync(join(npmDataDir, "partner-credentials.sqlite")).size).toBeGreaterThan(0);
    } finally {
      await viaNpm.stop();
      rmSync(npmDataDir, { recursive: true, force: true });
    }
  });
});
