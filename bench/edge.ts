/**
 * The authorization edge over real HTTP: every server in a child process of its own (`partnerctl
 * serve`, `partnerctl gateway`, a bare Fastify server, an upstream), loaded by autocannon from this
 * process, so the load generator never shares a server's event loop. Then the in-process verifier.
 * All data is made through the running server's own APIs.
 */
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSecretFile } from "../src/secret-files.ts";
import { createVerifier } from "../src/verifier/index.ts";
import { type LoadResult, type LoopResult, load, measure } from "./measure.ts";
import { type Child, freePort, startProcess, tsxArgs } from "./processes.ts";

export interface EdgeResults {
  /** Baseline A: bare Fastify route. */
  bare: LoadResult;
  /** `serve`'s own HTTP stack, no authorization: GET /healthz. */
  healthz: LoadResult;
  forwardAuth: LoadResult;
  gatewayNoAuth: LoadResult;
  gateway: LoadResult;
  /** Baseline B: one HMAC-SHA-256 of a key. */
  hmac: LoopResult;
  verify: LoopResult;
}

const ADMIN_TOKEN = "a".repeat(43);

/** The servers' settings: limits out of the way, no per-request logs, no HTTPS listener. */
function serverEnv(dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    LOG_LEVEL: "warn",
    TLS_PORT: "off",
    RATE_LIMIT_API: "100000000/1s",
    RATE_LIMIT_PARTNER_MANAGEMENT: "100000000/1s",
    AUTH_FAILURES_PER_IP: "100000000/1m",
    AUTH_FAILURES_PER_KEY: "100000000/1m",
  };
}

async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown },
  expected: number,
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${init.method ?? "GET"} ${url}: expected ${expected}, got ${response.status} ${text}`);
  }
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Runs `body` with a started process and always stops it afterwards. */
async function withProcess<T>(started: Promise<Child>, body: (child: Child) => Promise<T>): Promise<T> {
  const child = await started;
  try {
    return await body(child);
  } finally {
    await child.stop();
  }
}

export async function runEdge(progress: (line: string) => void): Promise<EdgeResults> {
  const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-bench-edge-"));
  const env = serverEnv(dataDir);
  try {
    progress("edge: bare Fastify server (baseline A)");
    const barePort = await freePort();
    const bare = await withProcess(
      startProcess({
        name: "bare Fastify server",
        ...tsxArgs("bench/bare-server.ts", [String(barePort)]),
        ready: `http://127.0.0.1:${barePort}/`,
      }),
      () => load("bare Fastify route", { url: `http://127.0.0.1:${barePort}/` }),
    );

    progress("edge: partnerctl serve, data through its APIs, forward-auth");
    const port = await freePort();
    const internalPort = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const internalUrl = `http://127.0.0.1:${internalPort}`;
    const { apiKey, healthz, forwardAuth } = await withProcess(
      startProcess({
        name: "partnerctl serve",
        command: "./bin/partnerctl",
        args: ["serve", "--port", String(port), "--data-dir", dataDir],
        env: { ...env, INTERNAL_PORT: String(internalPort) },
        ready: `${publicUrl}/healthz`,
      }),
      async () => {
        const operator = { authorization: `Bearer ${ADMIN_TOKEN}` };
        const account = await call(
          `${internalUrl}/admin/v1/accounts`,
          { method: "POST", headers: operator, body: { name: "Bench" } },
          201,
        );
        const link = new URL(String(account.onboarding_url)).pathname;
        const claimed = await call(
          `${publicUrl}${link}`,
          { method: "POST", headers: { accept: "application/json" } },
          201,
        );
        const apiKey = String(claimed.api_key);
        const serviceToken = await call(
          `${internalUrl}/admin/v1/service-tokens`,
          { method: "POST", headers: operator, body: { name: "bench" } },
          201,
        );
        const request = {
          url: `${internalUrl}/internal/v1/authorize?category=API`,
          headers: { authorization: `Basic ${apiKey}`, "x-service-token": String(serviceToken.token) },
        };
        await call(request.url, { headers: request.headers }, 200);
        const healthz = await load("serve GET /healthz", { url: `${publicUrl}/healthz` });
        const forwardAuth = await load("forward-auth", request);
        return { apiKey, healthz, forwardAuth };
      },
    );

    progress("edge: gateway with and without authorization");
    const upstreamPort = await freePort();
    const routes = join(dataDir, "routes.json");
    writeFileSync(
      routes,
      JSON.stringify({
        routes: [{ prefix: "/payments", upstream: `http://127.0.0.1:${upstreamPort}`, category: "API" }],
      }),
    );
    const partner = { authorization: `Basic ${apiKey}` };
    const { gateway, gatewayNoAuth } = await withProcess(
      startProcess({
        name: "upstream",
        ...tsxArgs("bench/upstream.ts", [String(upstreamPort)]),
        ready: `http://127.0.0.1:${upstreamPort}/`,
      }),
      async () => {
        const noAuthPort = await freePort();
        const gatewayNoAuth = await withProcess(
          startProcess({
            name: "gateway without authorization",
            ...tsxArgs("bench/gateway-noauth.ts"),
            env: { ...env, GATEWAY_ROUTES: routes, GATEWAY_PORT: String(noAuthPort) },
            ready: `http://127.0.0.1:${noAuthPort}/`,
          }),
          async () => {
            const url = `http://127.0.0.1:${noAuthPort}/payments/orders`;
            await call(url, { headers: partner }, 200);
            return load("gateway, authorization off", { url, headers: partner });
          },
        );
        const gatewayPort = await freePort();
        const gateway = await withProcess(
          startProcess({
            name: "partnerctl gateway",
            command: "./bin/partnerctl",
            args: ["gateway", "--routes", routes, "--port", String(gatewayPort), "--data-dir", dataDir],
            env,
            ready: `http://127.0.0.1:${gatewayPort}/`,
          }),
          async () => {
            const url = `http://127.0.0.1:${gatewayPort}/payments/orders`;
            await call(url, { headers: partner }, 200);
            return load("gateway, valid key", { url, headers: partner });
          },
        );
        return { gateway, gatewayNoAuth };
      },
    );

    progress("edge: in-process verifier (baseline B: one HMAC-SHA-256)");
    const pepper = readSecretFile(dataDir, "pepper");
    if (!pepper) throw new Error(`serve left no pepper in ${dataDir}`);
    const verifier = await createVerifier({ env: { ...env, LOG_LEVEL: "silent" } });
    try {
      const input = { authorization: `Basic ${apiKey}`, sourceIp: "127.0.0.1", category: "API" };
      const first = await verifier.verify(input);
      if (first.outcome !== "ALLOWED") throw new Error(`verify(): ${first.outcome}, expected ALLOWED`);
      const hmac = await measure("one HMAC-SHA-256 of a key", () =>
        createHmac("sha256", pepper).update(apiKey).digest("base64url"),
      );
      const verify = await measure("verifier verify(), valid key", async () => {
        const decision = await verifier.verify(input);
        if (decision.outcome !== "ALLOWED") throw new Error(`verify(): ${decision.outcome}`);
      });
      return { bare, healthz, forwardAuth, gatewayNoAuth, gateway, hmac, verify };
    } finally {
      await verifier.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
