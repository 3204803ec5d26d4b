/**
 * The authorization edge over real HTTP: every server in a child process of its own (`partnerctl
 * serve`, `partnerctl gateway`, the same gateway with authorization off, a bare Fastify server, an
 * upstream), loaded by autocannon from this process, so the load generator never shares a server's
 * event loop. The service runs on SQLite and, when BENCH_DATABASE_URL and BENCH_REDIS_URL are set,
 * a second time on PostgreSQL with shared rate limits in Redis. Then the in-process verifier.
 */
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { loadConfig } from "../src/config.ts";
import { readSecretFile } from "../src/secret-files.ts";
import { SCHEMA_CHANGE_LOCK } from "../src/store/postgres/schema-change-lock.ts";
import { createVerifier } from "../src/verifier/index.ts";
import { seedHotKeys } from "./hot-keys.ts";
import { type HttpCase, type LoadResult, type LoopResult, loadInTurn, measureInTurn } from "./measure.ts";
import { type Child, freePort, startProcess, tsxArgs } from "./processes.ts";

/** One measured HTTP case, under the label the report prints. */
export interface EdgeRow {
  label: string;
  result: LoadResult;
}

/** The service's cases against baseline A (bare Fastify), measured in turn in one set. */
export interface ServeResults {
  backend: string;
  bare: LoadResult;
  /** Baseline A, answering what `GET /v1/account` answers (headers and body) and nothing else. */
  asAccount: LoadResult;
  rows: EdgeRow[];
  /** Baseline A after N µs of busy work per request (the SQLite set only): what a cost buys here. */
  calibration: { micros: number; result: LoadResult }[];
  /** GET /v1/account with HOT_KEYS distinct keys ÷ with one key, through the same harness. */
  hotKeysRatio: number;
}

export interface EdgeResults {
  sqlite: ServeResults;
  postgres: ServeResults | null;
  gatewayNoAuth: LoadResult;
  gateway: LoadResult;
  /** Baseline B: one HMAC-SHA-256 of a key. */
  hmac: LoopResult;
  verify: LoopResult;
}

const ADMIN_TOKEN = randomBytes(32).toString("base64url");
/** Distinct keys of the hot-keys case: twice the default verification cache size. */
export const HOT_KEYS = Number(process.env.BENCH_HOT_KEYS ?? 20_000);
/** Accounts the hot keys are spread over. */
const HOT_ACCOUNTS = 200;
/** The calibration's busy work per request, µs (bench/bare-server.ts `GET /work/N`). */
export const CALIBRATION_MICROS = [2, 5, 10, 20, 40];
/** Credentials of the account whose list is read (one page of the default size). */
export const LISTED = 50;

/** The servers' settings: limits out of the way, no per-request logs, no HTTPS listener. */
function serverEnv(dataDir: string, backend: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    LOG_LEVEL: "warn",
    TLS_PORT: "off",
    RATE_LIMIT_API: "100000000/1s",
    RATE_LIMIT_PARTNER_MANAGEMENT: "100000000/1s",
    AUTH_FAILURES_PER_IP: "100000000/1m",
    AUTH_FAILURES_PER_KEY: "100000000/1m",
    ...backend,
  };
}

const local = (port: number, path = "") => `http://127.0.0.1:${port}${path}`;

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

const operator = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** An account made by an operator, and its claimed API key, through `serve`'s own APIs. */
async function claimedAccount(publicUrl: string, internalUrl: string, name: string) {
  const account = await call(
    `${internalUrl}/admin/v1/accounts`,
    { method: "POST", headers: operator, body: { name } },
    201,
  );
  const link = new URL(String(account.onboarding_url)).pathname;
  const claimed = await call(
    `${publicUrl}${link}`,
    { method: "POST", headers: { accept: "application/json" } },
    201,
  );
  return {
    accountId: String(claimed.account_id),
    credentialId: String(claimed.credential_id),
    apiKey: String(claimed.api_key),
  };
}

/**
 * The data every case reads, made through `serve`'s own APIs: an account with LISTED API keys, a
 * service token, and HOT_ACCOUNTS more accounts holding HOT_KEYS keys written through the store port.
 */
async function createData(publicUrl: string, internalUrl: string, env: Record<string, string>) {
  const main = await claimedAccount(publicUrl, internalUrl, "Bench");
  const partner = { authorization: `Basic ${main.apiKey}` };
  for (let i = 1; i < LISTED; i++) {
    await call(
      `${publicUrl}/v1/account/credentials`,
      {
        method: "POST",
        headers: partner,
        body: { type: "API", environment: "LIVE", description: `bench ${i}` },
      },
      200,
    );
  }
  const serviceToken = await call(
    `${internalUrl}/admin/v1/service-tokens`,
    { method: "POST", headers: operator, body: { name: "bench" } },
    201,
  );
  const accountIds: string[] = [];
  for (let i = 0; i < HOT_ACCOUNTS; i++) {
    const account = await call(
      `${internalUrl}/admin/v1/accounts`,
      { method: "POST", headers: operator, body: { name: `Hot ${i}` } },
      201,
    );
    accountIds.push(String(account.account_id));
  }
  const config = loadConfig(env);
  const pepper = readSecretFile(config.dataDir, "pepper");
  if (!pepper) throw new Error(`serve left no pepper in ${config.dataDir}`);
  const hotKeys = await seedHotKeys({
    database: config.database,
    pepper: { version: config.pepperVersion, secret: pepper },
    brand: config.brand,
    accountIds,
    count: HOT_KEYS,
  });
  return { ...main, serviceToken: String(serviceToken.token), hotKeys };
}

/** `partnerctl serve` on a backend, its data, and the cases that read it. */
async function serveCases(
  env: Record<string, string>,
  started: Child[],
  progress: (line: string) => void,
): Promise<{ cases: { label: string; http: HttpCase }[]; apiKey: string; publicUrl: string }> {
  const port = await freePort();
  const internalPort = await freePort();
  const serve = await startProcess({
    name: "partnerctl serve",
    command: "./bin/partnerctl",
    args: ["serve", "--port", String(port)],
    env: { ...env, INTERNAL_PORT: String(internalPort) },
    ready: local(port, "/healthz"),
  });
  started.push(serve);
  const { pid } = serve.child;
  progress(`edge: making the data (${LISTED} keys of one account, ${HOT_KEYS} hot keys)`);
  const data = await createData(local(port), local(internalPort), env);
  const partner = { authorization: `Basic ${data.apiKey}` };
  const account = (name: string, keys: string[]): HttpCase => ({
    name,
    url: local(port, "/v1/account"),
    authorizations: keys.map((key) => `Basic ${key}`),
    pid,
  });
  const cases = [
    {
      label: "serve GET /healthz (no authorization)",
      http: { name: "healthz", url: local(port, "/healthz"), pid },
    },
    {
      label: "serve GET /v1/account, valid key",
      http: { name: "GET /v1/account", url: local(port, "/v1/account"), headers: partner, pid },
    },
    {
      label: "forward-auth GET /internal/v1/authorize, valid key",
      http: {
        name: "forward-auth",
        url: local(internalPort, "/internal/v1/authorize?category=API"),
        headers: { ...partner, "x-service-token": data.serviceToken },
        pid,
      },
    },
    {
      label: "serve GET /v1/account/credentials/{id}",
      http: {
        name: "GET credential",
        url: local(port, `/v1/account/credentials/${data.credentialId}`),
        headers: partner,
        pid,
      },
    },
    {
      label: `serve GET /v1/account/credentials, ${LISTED} listed`,
      http: {
        name: "list credentials",
        url: local(port, `/v1/account/credentials?page_size=${LISTED}`),
        headers: partner,
        pid,
      },
    },
    { label: "serve GET /v1/account, 1 key (key-rotating harness)", http: account("1 key", [data.apiKey]) },
    {
      label: `serve GET /v1/account, ${HOT_KEYS.toLocaleString("en-US")} hot keys in turn`,
      http: account("hot keys", data.hotKeys),
    },
  ];
  return { cases, apiKey: data.apiKey, publicUrl: local(port) };
}

/** Baseline A and the service's cases, in turn; the 1-key and hot-keys cases are the last two. */
async function measureServe(
  backend: string,
  bare: { url: string; pid: number | undefined },
  asAccount: { url: string; pid: number | undefined },
  cases: { label: string; http: HttpCase }[],
  progress: (line: string) => void,
  calibrated: readonly number[] = [],
): Promise<ServeResults> {
  const calibration: HttpCase[] = calibrated.map((micros) => ({
    name: `bare Fastify + ${micros} µs`,
    url: `${bare.url}work/${micros}`,
    pid: bare.pid,
  }));
  const all: HttpCase[] = [
    { name: "bare Fastify route", url: bare.url, pid: bare.pid },
    { name: "bare Fastify, GET /v1/account's answer", url: asAccount.url, pid: asAccount.pid },
    ...calibration,
    ...cases.map((c) => c.http),
  ];
  // Each case answers 200 once before any load (a wrong setup fails here, not in the middle).
  for (const c of all) {
    const keys = c.authorizations ?? [];
    // A sample of a rotating case's keys (the load fails on any other status anyway).
    for (const authorization of keys.filter((_, i) => i % 1000 === 0 || i === keys.length - 1)) {
      await call(c.url, { headers: { authorization } }, 200);
    }
    if (keys.length === 0) await call(c.url, { headers: c.headers ?? {} }, 200);
  }
  const [baseline, ceiling, ...measured] = await loadInTurn(all, (line) =>
    progress(`edge ${backend}: ${line}`),
  );
  const results = measured.slice(calibration.length);
  const rows = cases.map((c, i) => ({ label: c.label, result: results[i] as LoadResult }));
  const oneKey = results.at(-2) as LoadResult;
  const hotKeys = results.at(-1) as LoadResult;
  return {
    backend,
    bare: baseline as LoadResult,
    asAccount: ceiling as LoadResult,
    rows,
    calibration: calibrated.map((micros, i) => ({ micros, result: measured[i] as LoadResult })),
    hotKeysRatio: hotKeys.perSecond / oneKey.perSecond,
  };
}

/** A schema of its own in BENCH_DATABASE_URL's database, dropped afterwards. */
async function postgresSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("select pg_advisory_lock($1::bigint)", [SCHEMA_CHANGE_LOCK]);
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

async function gatewayCases(
  env: Record<string, string>,
  dataDir: string,
  apiKey: string,
  started: Child[],
): Promise<HttpCase[]> {
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
  const gateway = await startProcess({
    name: "partnerctl gateway",
    command: "./bin/partnerctl",
    args: ["gateway", "--routes", routes, "--port", String(gatewayPort)],
    env,
    ready: local(gatewayPort, "/"),
  });
  started.push(gateway);
  const noAuthPort = await freePort();
  const noAuth = await startProcess({
    name: "gateway, authorization off",
    ...tsxArgs("bench/gateway-noauth.ts"),
    env: { ...env, GATEWAY_ROUTES: routes, GATEWAY_PORT: String(noAuthPort) },
    ready: local(noAuthPort, "/"),
  });
  started.push(noAuth);
  const partner = { authorization: `Basic ${apiKey}` };
  return [
    {
      name: "gateway, authorization off",
      url: local(noAuthPort, "/payments/orders"),
      headers: partner,
      pid: noAuth.child.pid,
    },
    {
      name: "gateway, valid key",
      url: local(gatewayPort, "/payments/orders"),
      headers: partner,
      pid: gateway.child.pid,
    },
  ];
}

/** Stops the children in reverse order of their start. */
async function stopAll(started: Child[]): Promise<void> {
  for (const child of started.splice(0).reverse()) await child.stop();
}

export async function runEdge(progress: (line: string) => void): Promise<EdgeResults> {
  const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-bench-edge-"));
  const started: Child[] = [];
  try {
    progress("edge: starting the bare Fastify server (baseline A) and partnerctl serve on SQLite");
    const barePort = await freePort();
    const bare = await startProcess({
      name: "bare Fastify server",
      ...tsxArgs("bench/bare-server.ts", [String(barePort)]),
      ready: local(barePort, "/"),
    });
    const bareTarget = { url: local(barePort, "/"), pid: bare.child.pid };
    const asAccountPort = await freePort();
    const asAccount = await startProcess({
      name: "bare Fastify server, GET /v1/account's answer",
      ...tsxArgs("bench/bare-server.ts", [String(asAccountPort), "as-account"]),
      ready: local(asAccountPort, "/"),
    });
    const asAccountTarget = { url: local(asAccountPort, "/"), pid: asAccount.child.pid };
    const env = serverEnv(dataDir);
    let apiKey: string;
    let sqlite: ServeResults;
    let postgres: ServeResults | null = null;
    let gateways: LoadResult[];
    try {
      const served = await serveCases(env, started, progress);
      apiKey = served.apiKey;
      sqlite = await measureServe(
        "SQLite",
        bareTarget,
        asAccountTarget,
        served.cases,
        progress,
        CALIBRATION_MICROS,
      );
      await stopAll(started);

      progress("edge: the gateway with and without authorization, and its upstream");
      const gatewayHttp = await gatewayCases(env, dataDir, apiKey, started);
      for (const c of gatewayHttp) await call(c.url, { headers: c.headers ?? {} }, 200);
      gateways = await loadInTurn(gatewayHttp, (line) => progress(`edge gateway: ${line}`));
      await stopAll(started);

      const databaseUrl = process.env.BENCH_DATABASE_URL;
      const redisUrl = process.env.BENCH_REDIS_URL;
      if (databaseUrl && redisUrl) {
        progress("edge: partnerctl serve on PostgreSQL, rate limits shared in Redis");
        const schema = await postgresSchema(databaseUrl);
        const pgDir = mkdtempSync(join(tmpdir(), "partner-credentials-bench-pg-"));
        try {
          const pgEnv = serverEnv(pgDir, {
            DATABASE_URL: schema.url,
            REDIS_URL: redisUrl,
            REDIS_KEY_PREFIX: `bench-${randomBytes(4).toString("hex")}`,
          });
          const served = await serveCases(pgEnv, started, progress);
          postgres = await measureServe(
            "PostgreSQL + Redis",
            bareTarget,
            asAccountTarget,
            served.cases,
            progress,
          );
        } finally {
          await stopAll(started);
          await schema.drop();
          rmSync(pgDir, { recursive: true, force: true });
        }
      }
    } finally {
      await stopAll(started);
      await asAccount.stop();
      await bare.stop();
    }
    const [gatewayNoAuth, gateway] = gateways as [LoadResult, LoadResult];

    progress("edge: in-process verifier and one HMAC-SHA-256 (baseline B), in turn");
    const pepper = readSecretFile(dataDir, "pepper");
    if (!pepper) throw new Error(`serve left no pepper in ${dataDir}`);
    const verifier = await createVerifier({ env: { ...env, LOG_LEVEL: "silent" } });
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
      return { sqlite, postgres, gatewayNoAuth, gateway, hmac, verify };
    } finally {
      await verifier.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
