import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createServiceToken,
  keysToRefuse,
  onboardThroughProcess,
  type ProcessPartner,
  partnerApi,
  setRateLimit,
  startUpstream,
  type Upstream,
} from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { opensslKeyAndCsr, opensslSelfSigned } from "./openssl.ts";
import { freePort, ROOT, type ServerProcess, startServerProcess } from "./process.ts";
import { type TlsResponse, tlsRequest } from "./tls-client.ts";

const hasNginx = (() => {
  try {
    execFileSync("nginx", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasNginx)
  process.stderr.write("nginx is not installed (apt-get install nginx-light): nginx suite skipped\n");

/** The nginx configuration of the "Protecting your APIs" guide, verbatim. */
function guideNginxConfiguration(): string {
  const guide = readFileSync(join(ROOT, "docs/protecting-your-apis.md"), "utf8");
  const section = guide.slice(guide.indexOf("### nginx"));
  const match = /```nginx\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error("no nginx configuration in the guide's nginx section");
  return match[1];
}

let dir: string;
let server: ServerProcess;
let upstream: Upstream;
let nginx: ChildProcess;
let nginxUrl: string;
let nginxCert: { certPem: string; keyPem: string };
let partner: ProcessPartner;
let nginxLog = "";

beforeAll(async () => {
  if (!hasNginx) return;
  dir = mkdtempSync(join(tmpdir(), "nginx-edge-"));
  upstream = await startUpstream();
  server = await startServerProcess({
    port: await freePort(),
    dataDir: join(dir, "data"),
    env: {
      ADMIN_TOKEN,
      PEPPER,
      TLS_PORT: "off",
      TRUSTED_PROXIES: "127.0.0.1",
      RATE_LIMIT_PAYMENTS: "1000/1s",
    },
  });
  const token = await createServiceToken(server.internalUrl, "nginx-edge");
  nginxCert = opensslSelfSigned("localhost");
  writeFileSync(join(dir, "api.crt"), nginxCert.certPem);
  writeFileSync(join(dir, "api.key"), nginxCert.keyPem);
  const port = await freePort();
  const snippet = guideNginxConfiguration()
    .replaceAll("127.0.0.1:8081", new URL(server.internalUrl).host)
    .replaceAll("127.0.0.1:9000", `127.0.0.1:${upstream.port}`)
    .replace("listen 443 ssl;", `listen 127.0.0.1:${port} ssl;`)
    .replace("/etc/nginx/api.crt", join(dir, "api.crt"))
    .replace("/etc/nginx/api.key", join(dir, "api.key"))
    .replaceAll("pcst_REPLACE_WITH_YOUR_SERVICE_TOKEN", token);
  for (const temp of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(dir, temp));
  writeFileSync(
    join(dir, "nginx.conf"),
    [
      "daemon off;",
      "master_process off;",
      "worker_processes 1;",
      `pid ${join(dir, "nginx.pid")};`,
      "error_log stderr warn;",
      "events { worker_connections 256; }",
      "http {",
      "  access_log off;",
      ...["body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
        (temp) => `  ${temp === "body" ? "client_body" : temp}_temp_path ${join(dir, temp)};`,
      ),
      snippet,
      "}",
    ].join("\n"),
  );
  nginx = spawn("nginx", ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  nginx.stderr?.on("data", (chunk) => {
    nginxLog += String(chunk);
  });
  nginxUrl = `https://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await call({ path: "/payments/ready" });
      break;
    } catch (error) {
      if (Date.now() > deadline || nginx.exitCode !== null)
        throw new Error(`nginx did not start: ${nginxLog}`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  partner = await onboardThroughProcess(server, "Nginx Partner");
});

afterAll(async () => {
  if (!hasNginx) return;
  nginx?.kill("SIGTERM");
  await server?.stop();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(options: {
  path: string;
  key?: string;
  headers?: Record<string, string>;
  client?: { certPem: string; keyPem: string };
}): Promise<TlsResponse> {
  return tlsRequest({
    url: nginxUrl,
    path: options.path,
    caPem: nginxCert.certPem,
    client: options.client,
    headers: { ...(options.key ? { authorization: `Basic ${options.key}` } : {}), ...options.headers },
  });
}

const body = (response: TlsResponse): Record<string, unknown> =>
  JSON.parse(response.body) as Record<string, unknown>;

describe.skipIf(!hasNginx)("nginx auth_request in front of an API, configured as the guide says", () => {
  it("lets a valid key through with the identity headers, never the key, and a verifiable identity", async () => {
    const before = upstream.seen.length;
    const response = await call({
      path: "/payments/v1/sessions?x=1",
      key: partner.apiKey,
      headers: { "x-klarna-account-id": "krn:partner:global:account:live:SPOOFED1" },
    });
    expect(response.status).toBe(200);
    expect(response.headers["x-ratelimit-limit"]).toBe("1000, 1000;w=1");
    const seen = upstream.seen.slice(before);
    expect(seen).toHaveLength(1);
    const headers = seen[0]?.headers ?? {};
    expect(seen[0]?.url).toBe("/payments/v1/sessions?x=1");
    expect(headers.authorization).toBeUndefined();
    expect(headers["x-klarna-account-id"]).toBe(partner.accountId);
    expect(headers["x-klarna-credential-id"]).toBe(partner.credentialId);
    expect(headers["x-klarna-environment"]).toBe("LIVE");
    expect(headers["x-klarna-acting-account-id"]).toBeUndefined();
    const jwks = (await (await fetch(`${server.internalUrl}/internal/v1/identity-keys`)).json()) as never;
    const { payload } = await jwtVerify(String(headers["x-klarna-identity"]), createLocalJWKSet(jwks));
    expect(payload).toMatchObject({ account_id: partner.accountId, credential_id: partner.credentialId });
  });

  it("gives wrong, disabled and wrong-environment keys the Klarna 401 body", async () => {
    const { keys } = await keysToRefuse(server, partner.apiKey);
    const before = upstream.seen.length;
    for (const key of keys) {
      const refused = await call({ path: "/payments/v1/sessions", key });
      expect(refused.status).toBe(401);
      expect(body(refused)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "UNAUTHORIZED" });
      expect(String(body(refused).error_id)).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(upstream.seen.length).toBe(before);
  });

  it("answers 429 with Retry-After once the account's budget is spent", async () => {
    const limited = await onboardThroughProcess(server, "Limited Partner");
    await setRateLimit(server.internalUrl, limited.accountId, { PAYMENTS: "2/60s" });
    const statuses: number[] = [];
    let last: TlsResponse | undefined;
    for (let i = 0; i < 3; i++) {
      last = await call({ path: "/payments/v1/sessions", key: limited.apiKey });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last && body(last)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "RATE_LIMITED" });
    expect(Number(last?.headers["retry-after"])).toBeGreaterThan(0);
    expect(last?.headers["x-ratelimit-limit"]).toBe("2, 2;w=60");
  });

  it("targets a Partner Account through Klarna-Partner-Account", async () => {
    const child = await partnerApi(server, partner.apiKey, "POST", "/v1/accounts", { name: "Child Shop" });
    const childId = String(child.body.account_id);
    const before = upstream.seen.length;
    const response = await call({
      path: "/payments/v1/orders",
      key: partner.apiKey,
      headers: { "klarna-partner-account": childId },
    });
    expect(response.status).toBe(200);
    const headers = upstream.seen[before]?.headers ?? {};
    expect(headers["x-klarna-account-id"]).toBe(childId);
    expect(headers["x-klarna-acting-account-id"]).toBe(partner.accountId);
    const stranger = await onboardThroughProcess(server, "Stranger");
    const foreign = await call({
      path: "/payments/v1/orders",
      key: stranger.apiKey,
      headers: { "klarna-partner-account": childId },
    });
    expect(foreign.status).toBe(404);
    expect(body(foreign)).toMatchObject({ error_code: "NOT_FOUND" });
  });

  it("passes the client certificate nginx forwards: VALID for ours, INVALID for another", async () => {
    const shortId = partner.accountId.slice(partner.accountId.lastIndexOf(":") + 1);
    const { keyPem, csrPem } = opensslKeyAndCsr({ commonName: shortId });
    const issued = await partnerApi(server, partner.apiKey, "POST", "/v1/account/client-certificates", {
      description: "payments",
      certificate_signing_request: csrPem,
    });
    expect(issued.status).toBe(200);
    const valid = await call({
      path: "/payments/v1/sessions",
      key: partner.apiKey,
      client: { certPem: String(issued.body.certificate), keyPem },
    });
    expect(valid.status).toBe(200);
    expect(valid.headers["klarna-mtls-verification-status"]).toBe("VALID");
    const other = await call({
      path: "/payments/v1/sessions",
      key: partner.apiKey,
      client: opensslSelfSigned(shortId),
    });
    expect(other.headers["klarna-mtls-verification-status"]).toBe("INVALID");
    const none = await call({ path: "/payments/v1/sessions", key: partner.apiKey });
    expect(none.headers["klarna-mtls-verification-status"]).toBe("NOT_PRESENT");
  });
});
