import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, type Verifier } from "../src/verifier/index.ts";
import {
  keysToRefuse,
  onboardThroughProcess,
  type ProcessPartner,
  partnerApi,
  type SeenRequest,
  setRateLimit,
  startUpstream,
  type Upstream,
} from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { opensslKeyAndCsr, opensslSelfSigned } from "./openssl.ts";
import {
  freePort,
  type GatewayProcess,
  partnerctl,
  rawRequest,
  type ServerProcess,
  startGatewayProcess,
  startServerProcess,
} from "./process.ts";

let dir: string;
let server: ServerProcess;
let gateway: GatewayProcess;
let upstream: Upstream;
let partner: ProcessPartner;
// The tests call from 127.0.0.1, standing in for a TLS-terminating proxy in front of the gateway.
const env = {
  ADMIN_TOKEN,
  PEPPER,
  TLS_PORT: "off",
  RATE_LIMIT_PAYMENTS: "1000/1s",
  TRUSTED_PROXIES: "127.0.0.1",
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gateway-"));
  upstream = await startUpstream();
  server = await startServerProcess({ port: await freePort(), dataDir: join(dir, "data"), env });
  const closedPort = await freePort(); // nothing listens there: the upstream is down
  const routesFile = join(dir, "routes.json");
  writeFileSync(
    routesFile,
    JSON.stringify({
      routes: [
        { prefix: "/payments", upstream: upstream.url, category: "payments", environment: "LIVE" },
        { prefix: "/payments/slow", upstream: upstream.url, category: "payments", timeout_ms: 300 },
        {
          prefix: "/test/payments",
          upstream: upstream.url,
          category: "payments",
          environment: "TEST",
          strip_prefix: true,
        },
        { prefix: "/settlements", upstream: `http://127.0.0.1:${closedPort}`, environment: "LIVE" },
      ],
    }),
  );
  gateway = await startGatewayProcess({
    port: await freePort(),
    dataDir: join(dir, "data"),
    routesFile,
    env,
  });
  partner = await onboardThroughProcess(server, "Gateway Partner");
});

afterAll(async () => {
  await gateway?.stop();
  await server?.stop();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(
  path: string,
  key: string | undefined,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: NonNullable<RequestInit["body"]>;
    duplex?: "half";
  } = {},
) {
  const response = await fetch(`${gateway.url}${path}`, {
    ...init,
    headers: { ...(key ? { authorization: `Basic ${key}` } : {}), ...init.headers },
  } as RequestInit);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

const lastSeen = (): SeenRequest | undefined => upstream.seen[upstream.seen.length - 1];

describe("partnerctl gateway", () => {
  it("forwards an allowed request with identity headers, without the key or spoofed identities", async () => {
    const before = upstream.seen.length;
    const response = await call("/payments/v1/sessions?country=SE", partner.apiKey, {
      headers: {
        "x-klarna-account-id": "krn:partner:global:account:live:SPOOFED1",
        "x-klarna-identity": "forged",
        "x-klarna-acting-account-id": "krn:partner:global:account:live:SPOOFED2",
        "x-real-ip": "192.0.2.1",
        forwarded: "for=192.0.2.1",
        "x-client-cert": "forged",
        "x-forwarded-client-cert": 'Cert="forged"',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-ratelimit-limit")).toBe("1000, 1000;w=1");
    expect(response.headers.get("klarna-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(upstream.seen.length).toBe(before + 1);
    const seen = lastSeen();
    expect(seen?.url).toBe("/payments/v1/sessions?country=SE");
    expect(seen?.headers.authorization).toBeUndefined();
    for (const name of ["x-real-ip", "forwarded", "x-client-cert", "x-forwarded-client-cert"]) {
      expect(seen?.headers[name], name).toBeUndefined();
    }
    // The caller stands for a trusted proxy here: the address it stated is the one passed on.
    expect(seen?.headers["x-forwarded-for"]).toBe("192.0.2.1");
    expect(seen?.headers["x-klarna-account-id"]).toBe(partner.accountId);
    expect(seen?.headers["x-klarna-acting-account-id"]).toBeUndefined();
    expect(seen?.headers["x-klarna-credential-id"]).toBe(partner.credentialId);
    expect(seen?.headers["x-klarna-environment"]).toBe("LIVE");
    // An upstream that is not network-isolated checks the signed identity with the published key.
    const jwks = (await (await fetch(`${server.internalUrl}/internal/v1/identity-keys`)).json()) as never;
    const { payload } = await jwtVerify(String(seen?.headers["x-klarna-identity"]), createLocalJWKSet(jwks), {
      issuer: "partner-credentials",
    });
    expect(payload).toMatchObject({ account_id: partner.accountId, credential_id: partner.credentialId });
    // A token whose claims were changed does not verify.
    const [head, , signature] = String(seen?.headers["x-klarna-identity"]).split(".");
    const forgedClaims = Buffer.from(
      JSON.stringify({ ...payload, account_id: "krn:partner:global:account:live:SPOOFED1" }),
    ).toString("base64url");
    await expect(
      jwtVerify(`${head}.${forgedClaims}.${signature}`, createLocalJWKSet(jwks)),
    ).rejects.toThrow();
  });

  it("refuses wrong, disabled and wrong-environment keys with the Klarna body, reaching no upstream", async () => {
    const { keys, testKey } = await keysToRefuse(server, partner.apiKey);
    const before = upstream.seen.length;
    for (const key of keys) {
      const refused = await call("/payments/v1/sessions", key, { method: "POST", body: "{}" });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "UNAUTHORIZED" });
    }
    // The TEST key opens the TEST route, whose prefix is stripped.
    const onTest = await call("/test/payments/v1/sessions", testKey);
    expect(onTest.status).toBe(200);
    expect(lastSeen()?.url).toBe("/v1/sessions");
    expect(lastSeen()?.headers["x-klarna-environment"]).toBe("TEST");
    expect(upstream.seen.length).toBe(before + 1);
  });

  it("answers 429 with Retry-After over the account's budget, and acts for a Partner Account", async () => {
    const limited = await onboardThroughProcess(server, "Limited");
    await setRateLimit(server.internalUrl, limited.accountId, { PAYMENTS: "2/60s" });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 3; i++) {
      last = await call("/payments/v1/sessions", limited.apiKey);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(last?.body).toMatchObject({ error_code: "RATE_LIMITED" });
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);

    const child = await partnerApi(server, partner.apiKey, "POST", "/v1/accounts", { name: "Child" });
    const acting = await call("/payments/v1/orders", partner.apiKey, {
      headers: { "klarna-partner-account": String(child.body.account_id) },
    });
    expect(acting.status).toBe(200);
    expect(lastSeen()?.headers["x-klarna-account-id"]).toBe(child.body.account_id);
    expect(lastSeen()?.headers["x-klarna-acting-account-id"]).toBe(partner.accountId);
  });

  it("reports the client certificate a trusted proxy forwards, and applies the IP allow-list", async () => {
    const mtls = await onboardThroughProcess(server, "Certified");
    const shortId = mtls.accountId.slice(mtls.accountId.lastIndexOf(":") + 1);
    const issued = await partnerApi(server, mtls.apiKey, "POST", "/v1/account/client-certificates", {
      certificate_signing_request: opensslKeyAndCsr({ commonName: shortId }).csrPem,
    });
    const forwarded = (pem: string) => ({ "x-client-cert": encodeURIComponent(pem) });
    const valid = await call("/payments/v1", mtls.apiKey, {
      headers: forwarded(String(issued.body.certificate)),
    });
    expect(valid.headers.get("klarna-mtls-verification-status")).toBe("VALID");
    const other = await call("/payments/v1", mtls.apiKey, {
      headers: forwarded(opensslSelfSigned(shortId).certPem),
    });
    expect(other.headers.get("klarna-mtls-verification-status")).toBe("INVALID");
    // Another account, configured before the gateway first sees it (its cache holds what it read
    // for up to CACHE_FALLBACK_TTL when, as here, no Redis carries invalidations).
    const restricted = await onboardThroughProcess(server, "Restricted");
    const ips = await partnerApi(server, restricted.apiKey, "PUT", "/v1/account/ip-restriction", {
      enforcement_mode: "ENFORCED",
      allowed_ips: ["203.0.113.0/24"],
      force: true,
    });
    expect(ips.status).toBe(200);
    const allowed = await call("/payments/v1", restricted.apiKey, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(allowed.status).toBe(200);
    expect(lastSeen()?.headers["x-forwarded-for"]).toBe("203.0.113.9");
    const refused = await call("/payments/v1", restricted.apiKey, {
      headers: { "x-forwarded-for": "198.51.100.9" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error_code: "IP_NOT_ALLOWED" });
  });

  it("streams a 5 MB body to the upstream unchanged", async () => {
    const payload = randomBytes(5 * 1024 * 1024);
    const chunks = Array.from({ length: 80 }, (_, i) => payload.subarray(i * 65_536, (i + 1) * 65_536));
    const response = await call("/payments/v1/uploads", partner.apiKey, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Readable.toWeb(Readable.from(chunks)) as NonNullable<RequestInit["body"]>,
      duplex: "half",
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      bodyBytes: payload.length,
      bodySha256: createHash("sha256").update(payload).digest("hex"),
    });
  });

  it("answers 404 without a route, 502 when the upstream is down, 504 when it is too slow", async () => {
    const none = await call("/orders/1", partner.apiKey);
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "NOT_FOUND" });
    const down = await call("/settlements/v1/reports", partner.apiKey);
    expect(down.status).toBe(502);
    expect(down.body).toMatchObject({ error_type: "TECHNICAL_ERROR", error_code: "BAD_GATEWAY" });
    const started = performance.now();
    const slow = await call("/payments/slow/v1?delay_ms=3000", partner.apiKey);
    expect(slow.status).toBe(504);
    expect(slow.body).toMatchObject({ error_type: "TECHNICAL_ERROR", error_code: "TIMEOUT" });
    expect(performance.now() - started).toBeLessThan(2_000);
    // A target may not leave its route at the upstream, nor crash the gateway (sent raw: fetch
    // would normalise them itself).
    for (const target of [
      "/payments/../settlements/x",
      "/payments/%2e%2E/settlements/x",
      "/payments/a%2fb",
      "/payments\\..\\..\\secret",
      "/pay%6Dents/x",
      "/payments/x?q=%zz",
      "http://127.0.0.1/payments/x",
      "*",
    ]) {
      const raw = await rawRequest(
        gateway.url,
        `GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${partner.apiKey}\r\nConnection: close\r\n\r\n`,
      );
      expect(raw, target).toMatch(/^HTTP\/1\.1 40[04]/);
      expect(raw, target).toMatch(/"error_type":"(INPUT|RESOURCE)_ERROR"/);
    }
    for (const response of [none, down, slow])
      expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|Error:/);
  });

  it("refuses to start on a bad routes file, naming the problem", async () => {
    const bad = join(dir, "bad-routes.json");
    writeFileSync(
      bad,
      JSON.stringify({ routes: [{ prefix: "/x", upstream: "http://a", category: "unknown" }] }),
    );
    const result = await partnerctl(
      ["gateway", "--routes", bad, "--data-dir", join(dir, "data"), "--port", "0"],
      env,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("RATE_LIMIT_UNKNOWN");
  });
});

describe("the in-process verifier", () => {
  let verifier: Verifier;
  beforeAll(async () => {
    verifier = await createVerifier({
      env: { DATA_DIR: join(dir, "data"), PEPPER, RATE_LIMIT_PAYMENTS: "1000/1s", LOG_LEVEL: "silent" },
    });
  });
  afterAll(async () => verifier?.close());

  it("returns the same decision as the gateway", async () => {
    const allowed = await verifier.verify({
      authorization: `Basic ${partner.apiKey}`,
      sourceIp: "198.51.100.7",
      category: "payments",
      environment: "LIVE",
    });
    expect(allowed.outcome).toBe("ALLOWED");
    if (allowed.outcome !== "ALLOWED") throw new Error("not allowed");
    expect(allowed.account.accountId).toBe(partner.accountId);
    expect(verifier.headers(allowed)).toMatchObject({ "X-Klarna-Account-Id": partner.accountId });
    const wrongEnvironment = await verifier.verify({
      authorization: `Basic ${partner.apiKey}`,
      sourceIp: "198.51.100.7",
      environment: "TEST",
    });
    expect(wrongEnvironment.outcome).toBe("WRONG_ENVIRONMENT");
    const wrong = await verifier.verify({
      authorization: "Basic klarna_live_api_nope",
      sourceIp: "198.51.100.7",
    });
    expect(wrong.outcome).toBe("UNAUTHORIZED");
    if (wrong.outcome === "ALLOWED") throw new Error("allowed");
    expect(wrong.error.status).toBe(401);
    expect(verifier.errorBody(wrong)).toMatchObject({
      error_type: "ACCESS_ERROR",
      error_code: "UNAUTHORIZED",
    });
  });

  it("will not start without the server's pepper or identity key rather than invent one", async () => {
    await expect(
      createVerifier({ env: { DATA_DIR: join(dir, "nowhere"), LOG_LEVEL: "silent" } }),
    ).rejects.toThrow(/pepper/i);
    const copy = join(dir, "copy");
    cpSync(join(dir, "data"), copy, { recursive: true });
    rmSync(join(copy, "identity-key.pem"));
    await expect(createVerifier({ env: { DATA_DIR: copy, PEPPER, LOG_LEVEL: "silent" } })).rejects.toThrow(
      /identity key/i,
    );
  });
});
