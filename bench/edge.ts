/**
 * The authorization edge over real HTTP: every server in a child process of its own (`partnerctl
 * serve`, `partnerctl gateway`, the same gateway with authorization off, a bare Fastify server, an
 * upstream), loaded by autocannon from this process, so the load generator never shares a server's
 * event loop. Then the in-process verifier. All data is made through the running server's own APIs.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSecretFile } from "../src/secret-files.ts";
import { createVerifier } from "../src/verifier/index.ts";
import { type LoadResult, type LoopResult, loadInTurn, measureInTurn } from "./measure.ts";
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

const ADMIN_TOKEN = randomBytes(32).toString("base64url");

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

/** An account, its claimed API key and a service token, made through `serve`'s own APIs. */
async function createData(publicUrl: string, internalUrl: string) {
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
  const serviceToken = await call(
    `${internalUrl}/admin/v1/service-tokens`,
    { method: "POST", headers: operator, body: { name: "bench" } },
    201,
  );
  return { apiKey: String(claimed.api_key), serviceToken: String(serviceToken.token) };
}

async function loadCases(
  dataDir: string,
  started: Child[],
  progress: (line: string) => void,
): Promise<{ apiKey: string; results: LoadResult[] }> {
  const env = serverEnv(dataDir);
  const local = (port: number, path = "") => `http://127.0.0.1:${port}${path}`;

  progress("edge: starting the bare Fastify server (baseline A) and partnerctl serve");
  const barePort = await freePort();
  started.push(
    await startProcess({
      name: "bare Fastify server",
      ...tsxArgs("bench/bare-server.ts", [String(barePort)]),
      ready: local(barePort, "/"),
    }),
  );
  const port = await freePort();
  const internalPort = await freePort();
  started.push(
    await startProcess({
      name: "partnerctl serve",
      command: "./bin/partnerctl",
      args: ["serve", "--port", String(port), "--data-dir", dataDir],
      env: { ...env, INTERNAL_PORT: String(internalPort) },
      ready: local(port, "/healthz"),
    }),
  );
  const { apiKey, serviceToken } = await createData(local(port), local(internalPort));

  progress("edge: starting the upstream, the gateway, and the gateway with authorization off");
  const upstreamPort = await freePort();
  started.push(
    await startProcess({
      name: "upstream",
      ...tsxArgs("bench/upstream.ts", [String(upstreamPort)]),
      ready: local(upstreamPort, "/"),
    }),
  );
  const routes = join(dataDir, "routes.json");
  writeFileSync(
    routes,
    JSON.stringify({ routes: [{ prefix: "/payments", upstream: local(upstreamPort), category: "API" }] }),
  );
  const gatewayPort = await freePort();
  started.push(
    await startProcess({
      name: "partnerctl gateway",
      command: "./bin/partnerctl",
      args: ["gateway", "--routes", routes, "--port", String(gatewayPort), "--data-dir", dataDir],
      env,
      ready: local(gatewayPort, "/"),
    }),
  );
  const noAuthPort = await freePort();
  started.push(
    await startProcess({
      name: "gateway, authorization off",
      ...tsxArgs("bench/gateway-noauth.ts"),
      env: { ...env, GATEWAY_ROUTES: routes, GATEWAY_PORT: String(noAuthPort) },
      ready: local(noAuthPort, "/"),
    }),
  );

  const partner = { authorization: `Basic ${apiKey}` };
  const cases = [
    { name: "bare Fastify route", url: local(barePort, "/") },
    { name: "serve GET /healthz", url: local(port, "/healthz") },
    {
      name: "forward-auth",
      url: local(internalPort, "/internal/v1/authorize?category=API"),
      headers: { ...partner, "x-service-token": serviceToken },
    },
    { name: "gateway, authorization off", url: local(noAuthPort, "/payments/orders"), headers: partner },
    { name: "gateway, valid key", url: local(gatewayPort, "/payments/orders"), headers: partner },
  ];
  // Each case answers 200 once before any load (a wrong setup fails here, not in the middle).
  for (const c of cases) await call(c.url, { headers: c.headers ?? {} }, 200);
  const results = await loadInTurn(cases, (line) => progress(`edge: ${line}`));
  return { apiKey, results };
}

export async function runEdge(progress: (line: string) => void): Promise<EdgeResults> {
  const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-bench-edge-"));
  const started: Child[] = [];
  try {
    const { apiKey, results } = await (async () => {
      try {
        return await loadCases(dataDir, started, progress);
      } finally {
        // Stopped before the in-process cases, in reverse order; the data stays in DATA_DIR.
        for (const child of started.reverse()) await child.stop();
      }
    })();
    const [bare, healthz, forwardAuth, gatewayNoAuth, gateway] = results as [
      LoadResult,
      LoadResult,
      LoadResult,
      LoadResult,
      LoadResult,
    ];

    progress("edge: in-process verifier and one HMAC-SHA-256 (baseline B), in turn");
    const pepper = readSecretFile(dataDir, "pepper");
    if (!pepper) throw new Error(`serve left no pepper in ${dataDir}`);
    const verifier = await createVerifier({ env: { ...serverEnv(dataDir), LOG_LEVEL: "silent" } });
    try {
      const input = { authorization: `Basic ${apiKey}`, sourceIp: "127.0.0.1", category: "API" };
      const first = await verifier.verify(input);
      if (first.outcome !== "ALLOWED") throw new Error(`verify(): ${first.outcome}, expected ALLOWED`);
      const [hmac, verify] = (await measureInTurn([
        {
          name: "one HMAC-SHA-256 of a key",
          run: () => createHmac("sha256", pepper).update(apiKey).digest("base64url"),
        },
        {
          name: "verifier verify(), valid key",
          run: async () => {
            const decision = await verifier.verify(input);
            if (decision.outcome !== "ALLOWED") throw new Error(`verify(): ${decision.outcome}`);
          },
        },
      ])) as [LoopResult, LoopResult];
      return { bare, healthz, forwardAuth, gatewayNoAuth, gateway, hmac, verify };
    } finally {
      await verifier.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
