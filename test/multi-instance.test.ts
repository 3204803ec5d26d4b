import { execFile, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PartnerClient } from "@partner-credentials/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient } from "../src/client/index.ts";
import { ADMIN_TOKEN, PEPPER, SESSION_SECRET } from "./harness.ts";
import { dropSchema, TEST_DATABASE_URL } from "./postgres.ts";
import {
  freePort,
  partnerctl,
  ROOT,
  type ServerProcess,
  startGatewayProcess,
  startServerProcess,
} from "./process.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "";
if (!TEST_REDIS_URL) process.stderr.write("TEST_REDIS_URL is not set: multi-instance suites are skipped\n");
const enabled = Boolean(TEST_DATABASE_URL && TEST_REDIS_URL);

/** A PostgreSQL URL whose connections use their own schema. */
function schemaUrl(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(text);
  await client.end();
}

interface Fleet {
  a: ServerProcess;
  b: ServerProcess;
  databaseUrl: string;
  dirs: string[];
  stop(): Promise<void>;
}

async function startFleet(
  schema: string,
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<Fleet> {
  await sql(`create schema if not exists ${schema}`);
  const databaseUrl = schemaUrl(schema);
  const shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    INSTANCE_COUNT: "2",
    ADMIN_TOKEN,
    PEPPER,
    SESSION_SECRET,
    TLS_PORT: "off",
    LIFECYCLE_SWEEP_INTERVAL: "PT1H",
    ...env,
  };
  const dirs = [mkdtempSync(join(tmpdir(), "fleet-a-")), mkdtempSync(join(tmpdir(), "fleet-b-"))];
  // One after the other: the first runs the migrations.
  const a = await startServerProcess({ port: await freePort(), dataDir: dirs[0] ?? "", env: shared });
  const b = await startServerProcess({ port: await freePort(), dataDir: dirs[1] ?? "", env: shared });
  return {
    a,
    b,
    databaseUrl,
    dirs,
    stop: async () => {
      await Promise.all([a.stop(), b.stop()]);
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function onboard(fleet: Fleet): Promise<{ accountId: string; client: PartnerClient; apiKey: string }> {
  const admin = new AdminClient({ baseUrl: fleet.a.internalUrl, token: ADMIN_TOKEN });
  const created = await admin.createAccount({ name: `Fleet ${randomBytes(3).toString("hex")}` });
  const claim = await fetch(created.onboarding_url.replace(/^https?:\/\/[^/]+/, fleet.b.url), {
    method: "POST",
    headers: { accept: "application/json" },
  });
  const { api_key } = (await claim.json()) as { api_key: string };
  return {
    accountId: created.account_id,
    client: new PartnerClient({ baseUrl: fleet.a.url, apiKey: api_key }),
    apiKey: api_key,
  };
}

const status = async (baseUrl: string, apiKey: string): Promise<number> =>
  (await fetch(`${baseUrl}/v1/account`, { headers: { authorization: `Basic ${apiKey}` } })).status;

describe.skipIf(!enabled)("two instances sharing PostgreSQL and Redis", () => {
  const schema = `fleet_${randomBytes(5).toString("hex")}`;
  let fleet: Fleet;
  // GitHub's secret scanning, played by the test: its key signs leak reports.
  const github = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const keysDir = mkdtempSync(join(tmpdir(), "fleet-keys-"));

  beforeAll(async () => {
    const keysFile = join(keysDir, "github-keys.json");
    const key = github.publicKey.export({ type: "spki", format: "pem" }).toString();
    writeFileSync(
      keysFile,
      JSON.stringify({ public_keys: [{ key_identifier: "k1", key, is_current: true }] }),
    );
    fleet = await startFleet(schema, TEST_REDIS_URL, {
      RATE_LIMIT_PARTNER_MANAGEMENT: "200/30s",
      SECRET_SCANNING_KEYS_FILE: keysFile,
    });
  });
  afterAll(async () => {
    await fleet?.stop();
    await dropSchema(schema);
    rmSync(keysDir, { recursive: true, force: true });
  });

  it("holds one account's rate limit across both instances", async () => {
    const { accountId, apiKey } = await onboard(fleet);
    const admin = new AdminClient({ baseUrl: fleet.b.internalUrl, token: ADMIN_TOKEN });
    await admin.setRateLimits(accountId, { PARTNER_MANAGEMENT: "100/30s" });
    await new Promise((r) => setTimeout(r, 300)); // the override reaches both caches over the bus
    const urls = [fleet.a.url, fleet.b.url];
    const results: number[] = [];
    for (let round = 0; round < 15; round++) {
      results.push(
        ...(await Promise.all(Array.from({ length: 20 }, (_, i) => status(urls[i % 2] ?? "", apiKey)))),
      );
    }
    const admitted = results.filter((s) => s === 200).length;
    expect(results.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    process.stdout.write(`multi-instance: ${admitted} of 300 admitted against a 100/30s limit\n`);
    expect(Math.abs(admitted - 100)).toBeLessThanOrEqual(2);
  });

  it("a key disabled through instance A is refused by instance B within 1 s", async () => {
    const { client } = await onboard(fleet);
    const key = await client.createCredential({ type: "API", environment: "LIVE", description: "revoke me" });
    const apiKey = key.api_key ?? "";
    for (let i = 0; i < 3; i++) expect(await status(fleet.b.url, apiKey)).toBe(200); // cached on B
    const start = performance.now();
    await client.disableCredential(key.credential_id); // through A
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (performance.now() - start < 3_000) {
      if ((await status(fleet.b.url, apiKey)) === 401) {
        refusedAfter = performance.now() - start;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    process.stdout.write(`multi-instance: disabled on A, refused on B after ${refusedAfter.toFixed(0)} ms\n`);
    expect(refusedAfter).toBeLessThan(1_000);
  });

  it("a key reported leaked to instance A is refused by instance B within 1 s", async () => {
    const { client } = await onboard(fleet);
    const key = await client.createCredential({ type: "API", environment: "LIVE", description: "leak me" });
    const apiKey = key.api_key ?? "";
    for (let i = 0; i < 3; i++) expect(await status(fleet.b.url, apiKey)).toBe(200); // cached on B
    const body = JSON.stringify([
      { token: apiKey, type: "klarna_api_key", url: "https://github.com/o/r", source: "Content" },
    ]);
    const start = performance.now();
    const reported = await fetch(`${fleet.a.url}/v1/secret-scanning/reports`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "github-public-key-identifier": "k1",
        "github-public-key-signature": sign("sha256", Buffer.from(body), github.privateKey).toString(
          "base64",
        ),
      },
      body,
    });
    expect(reported.status).toBe(200);
    expect(await reported.json()).toEqual([expect.objectContaining({ label: "true_positive" })]);
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (performance.now() - start < 3_000) {
      if ((await status(fleet.b.url, apiKey)) === 401) {
        refusedAfter = performance.now() - start;
        break;
      }
      await sleep(20);
    }
    process.stdout.write(
      `multi-instance: reported leaked to A, refused on B after ${refusedAfter.toFixed(0)} ms\n`,
    );
    expect(refusedAfter).toBeLessThan(1_000);
  });

  it("a key disabled through A is refused within 1 s by B's forward-auth, B's gateway and a verifier elsewhere", async () => {
    const { client } = await onboard(fleet);
    const key = await client.createCredential({ type: "API", environment: "LIVE", description: "edge" });
    const apiKey = key.api_key ?? "";
    const admin = new AdminClient({ baseUrl: fleet.a.internalUrl, token: ADMIN_TOKEN });
    const { token } = await admin.createServiceToken("edge-test");
    const routesFile = join(fleet.dirs[1] ?? "", "routes.json");
    const upstream = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const upstreamPort = (upstream.address() as { port: number }).port;
    writeFileSync(
      routesFile,
      JSON.stringify({ routes: [{ prefix: "/", upstream: `http://127.0.0.1:${upstreamPort}` }] }),
    );
    const env = { DATABASE_URL: fleet.databaseUrl, REDIS_URL: TEST_REDIS_URL, PEPPER, INSTANCE_COUNT: "2" };
    const gateway = await startGatewayProcess({
      port: await freePort(),
      dataDir: fleet.dirs[1] ?? "",
      routesFile,
      env,
    });
    const probe = spawn(process.execPath, ["--import", "tsx", "test/fixtures/verifier-probe.ts", apiKey], {
      cwd: ROOT,
      env: { ...process.env, ...env, DATA_DIR: fleet.dirs[1] ?? "" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines: { outcome?: string; at?: number; ready?: boolean }[] = [];
    probe.stdout?.on("data", (chunk) => {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    });
    try {
      const forwardAuth = async (): Promise<number> =>
        (
          await fetch(`${fleet.b.internalUrl}/internal/v1/authorize`, {
            headers: { authorization: `Basic ${apiKey}`, "x-service-token": token },
          })
        ).status;
      const viaGateway = async (): Promise<number> =>
        (await fetch(`${gateway.url}/payments`, { headers: { authorization: `Basic ${apiKey}` } })).status;
      const deadline = Date.now() + 15_000;
      while (!lines.some((l) => l.outcome === "ALLOWED") && Date.now() < deadline) await sleep(20);
      for (let i = 0; i < 3; i++) {
        expect(await forwardAuth()).toBe(200);
        expect(await viaGateway()).toBe(200);
      }
      const start = Date.now();
      await client.disableCredential(key.credential_id); // through A
      const refusedAfter = { forwardAuth: Number.POSITIVE_INFINITY, gateway: Number.POSITIVE_INFINITY };
      while (
        Date.now() - start < 3_000 &&
        !(Number.isFinite(refusedAfter.forwardAuth) && Number.isFinite(refusedAfter.gateway))
      ) {
        const [f, g] = await Promise.all([forwardAuth(), viaGateway()]);
        if (f === 401 && !Number.isFinite(refusedAfter.forwardAuth))
          refusedAfter.forwardAuth = Date.now() - start;
        if (g === 401 && !Number.isFinite(refusedAfter.gateway)) refusedAfter.gateway = Date.now() - start;
        await sleep(10);
      }
      while (!lines.some((l) => l.outcome === "UNAUTHORIZED") && Date.now() - start < 3_000) await sleep(10);
      const verifierAt = lines.find((l) => l.outcome === "UNAUTHORIZED")?.at;
      const verifierAfter = verifierAt === undefined ? Number.POSITIVE_INFINITY : verifierAt - start;
      process.stdout.write(
        `multi-instance: disabled on A; refused by B's forward-auth after ${refusedAfter.forwardAuth} ms, B's gateway after ${refusedAfter.gateway} ms, a verifier process after ${verifierAfter} ms\n`,
      );
      expect(refusedAfter.forwardAuth).toBeLessThan(1_000);
      expect(refusedAfter.gateway).toBeLessThan(1_000);
      expect(verifierAfter).toBeLessThan(1_000);
    } finally {
      probe.kill("SIGTERM");
      await gateway.stop();
      upstream.close();
    }
  });

  it("an account suspended through A is refused by B within 1 s, and accepted again within 1 s of its resume", async () => {
    const { accountId, apiKey } = await onboard(fleet);
    const admin = new AdminClient({ baseUrl: fleet.a.internalUrl, token: ADMIN_TOKEN });
    for (let i = 0; i < 3; i++) expect(await status(fleet.b.url, apiKey)).toBe(200); // cached on B
    const within = async (expected: number): Promise<number> => {
      const start = performance.now();
      while (performance.now() - start < 3_000) {
        if ((await status(fleet.b.url, apiKey)) === expected) return performance.now() - start;
        await sleep(20);
      }
      return Number.POSITIVE_INFINITY;
    };
    await admin.suspendAccount(accountId, { reason: "multi-instance test" });
    const refusedAfter = await within(401);
    await admin.resumeAccount(accountId);
    const acceptedAfter = await within(200);
    process.stdout.write(
      `multi-instance: suspended on A, refused on B after ${refusedAfter.toFixed(0)} ms; resumed, accepted after ${acceptedAfter.toFixed(0)} ms\n`,
    );
    expect(refusedAfter).toBeLessThan(1_000);
    expect(acceptedAfter).toBeLessThan(1_000);
  });

  it("two sweeps at once on the shared store act once per transition", async () => {
    const { client, accountId } = await onboard(fleet);
    for (let i = 0; i < 10; i++) await client.createCredential({ type: "API", environment: "TEST" });
    const asOf = new Date(Date.now() + 61 * 86_400_000).toISOString();
    const env = { DATABASE_URL: fleet.databaseUrl, REDIS_URL: TEST_REDIS_URL };
    const runs = await Promise.all(
      [0, 1].map(() =>
        partnerctl(["lifecycle", "sweep", "--as-of", asOf, "--json", "--data-dir", fleet.dirs[0] ?? ""], env),
      ),
    );
    const transitions = runs.flatMap((r) => {
      expect(r.code, r.stderr).toBe(0);
      return (
        JSON.parse(r.stdout) as { transitions: { rule: string; credential_id: string; account_id: string }[] }
      ).transitions;
    });
    const ours = transitions.filter((t) => t.account_id === accountId && t.rule === "INACTIVITY_DISABLE");
    expect(ours).toHaveLength(11);
    expect(new Set(ours.map((t) => t.credential_id)).size).toBe(11);
    const client2 = new pg.Client({ connectionString: fleet.databaseUrl });
    await client2.connect();
    const events = await client2.query(
      "select count(*)::int as n from audit_events where account_id = $1 and action = 'credential.disabled'",
      [accountId],
    );
    await client2.end();
    expect(events.rows[0].n).toBe(11);
  });
});

const run = promisify(execFile);
const hasRedisServer = await run("redis-server", ["--version"]).then(
  () => true,
  () => false,
);

describe.skipIf(!(TEST_DATABASE_URL && hasRedisServer))("when Redis goes away", () => {
  const schema = `fleet_${randomBytes(5).toString("hex")}`;
  let fleet: Fleet;
  let redisPort: number;
  let redis: ReturnType<typeof spawn>;

  beforeAll(async () => {
    redisPort = await freePort();
    // A Redis of this test's own, so stopping it disturbs nothing else.
    redis = spawn(
      "redis-server",
      ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdio: "ignore",
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    fleet = await startFleet(schema, `redis://127.0.0.1:${redisPort}`, {
      RATE_LIMIT_PARTNER_MANAGEMENT: "40/60s",
      CACHE_FALLBACK_TTL: "PT2S",
    });
  });
  afterAll(async () => {
    redis?.kill("SIGKILL");
    await fleet?.stop();
    await dropSchema(schema);
  });

  it("keeps answering with per-instance limits, and a disabled key is refused within the fallback bound", async () => {
    const { client, apiKey } = await onboard(fleet);
    const key = await client.createCredential({ type: "API", environment: "LIVE" });
    expect(await status(fleet.b.url, key.api_key ?? "")).toBe(200); // cached on B

    redis.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    const ready = (await (await fetch(`${fleet.b.url}/readyz`)).json()) as Record<string, string>;
    expect(ready).toMatchObject({ status: "ready", invalidation_bus: "DOWN", rate_limits: "PER_INSTANCE" });
    const metrics = await (await fetch(`${fleet.b.internalUrl}/metrics`)).text();
    expect(metrics).toMatch(/^partner_credentials_shared_rate_limits_up 0$/m);

    // Each instance now keeps half of the 40/60s budget.
    const onB: number[] = [];
    for (let i = 0; i < 30; i++) onB.push(await status(fleet.b.url, apiKey));
    expect(onB.filter((s) => s === 200).length).toBe(20);
    expect(onB.filter((s) => s === 429).length).toBe(10);

    const start = performance.now();
    await client.disableCredential(key.credential_id); // through A; the bus cannot carry it
    let refusedAfter = Number.POSITIVE_INFINITY;
    while (performance.now() - start < 6_000) {
      if ((await status(fleet.b.url, key.api_key ?? "")) === 401) {
        refusedAfter = performance.now() - start;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    process.stdout.write(`redis down: disabled on A, refused on B after ${refusedAfter.toFixed(0)} ms\n`);
    expect(refusedAfter).toBeLessThan(2_000 + 250);

    // Redis returns: both instances go back to shared limits and the bus by themselves.
    redis = spawn(
      "redis-server",
      ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {
        stdio: "ignore",
      },
    );
    const deadline = Date.now() + 8_000;
    let sharing: Record<string, string> = {};
    while (Date.now() < deadline) {
      sharing = (await (await fetch(`${fleet.b.url}/readyz`)).json()) as Record<string, string>;
      if (sharing.rate_limits === "SHARED" && sharing.invalidation_bus === "UP") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(sharing).toMatchObject({ rate_limits: "SHARED", invalidation_bus: "UP" });
  });
});

/** A TCP relay to PostgreSQL that the test can cut and restore, as an outage would. */
async function relay(target: { host: string; port: number }) {
  const { createServer, connect } = await import("node:net");
  const sockets = new Set<import("node:net").Socket>();
  let server: import("node:net").Server | null = null;
  const port = await freePort();
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server) server.close(() => resolve());
      else resolve();
    });
  await up();
  return { port, up, down };
}

describe.skipIf(!TEST_DATABASE_URL)("when PostgreSQL goes away", () => {
  it("fails readiness, answers 503 without half-writes, and recovers by itself", async () => {
    const target = new URL(TEST_DATABASE_URL);
    const link = await relay({ host: target.hostname, port: Number(target.port || 5432) });
    const schema = `outage_${randomBytes(5).toString("hex")}`;
    await sql(`create schema if not exists ${schema}`);
    const url = new URL(TEST_DATABASE_URL);
    url.hostname = "127.0.0.1";
    url.port = String(link.port);
    url.searchParams.set("options", `-c search_path=${schema}`);
    const dataDir = mkdtempSync(join(tmpdir(), "outage-"));
    const server = await startServerProcess({
      port: await freePort(),
      dataDir,
      env: { DATABASE_URL: url.toString(), ADMIN_TOKEN, PEPPER, TLS_PORT: "off" },
    });
    try {
      const admin = new AdminClient({ baseUrl: server.internalUrl, token: ADMIN_TOKEN });
      const before = await admin.listAccounts();
      await link.down();
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      const create = await fetch(`${server.internalUrl}/admin/v1/accounts`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "During outage" }),
      });
      expect(create.status).toBe(503);
      expect(await create.json()).toMatchObject({
        error_type: "TECHNICAL_ERROR",
        error_code: "SERVICE_UNAVAILABLE",
      });
      await link.up();
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await fetch(`${server.url}/readyz`)).status !== 200) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const after = await admin.listAccounts();
      expect(after.accounts).toHaveLength(before.accounts.length); // nothing half-written
      expect((await admin.createAccount({ name: "After outage" })).account_id).toMatch(/^krn:/);
    } finally {
      await server.stop();
      await link.down();
      rmSync(dataDir, { recursive: true, force: true });
      await dropSchema(schema);
    }
  });
});
