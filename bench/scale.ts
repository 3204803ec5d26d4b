import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { parseKey } from "../src/domain/key-format.ts";
import type { PagePosition } from "../src/domain/page-token.ts";
import { LifecycleService } from "../src/services/lifecycle.ts";
import type { Database } from "../src/store/kysely/tables.ts";
import type { Store } from "../src/store/port.ts";
import { openPostgresStore } from "../src/store/postgres/postgres-store.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { systemClock, systemRandom } from "../src/system.ts";
import { type Child, freePort, ROOT, startProcess } from "./processes.ts";
import type { SeedManifest } from "./seed-data.ts";
import { DEFAULT_SQLITE_FILE, prepareDue, readManifest, type SeedTarget } from "./seed-store.ts";

/**
 * `npm run bench:scale`: figures of a seeded store (`npm run bench:seed` first). Listing at depth and
 * the sweep (dry run, apply) at 1k and 10k due, on SQLite and, with BENCH_DATABASE_URL, on
 * PostgreSQL; then, on SQLite inside `partnerctl serve`, the worst `/healthz` latency while a sweep
 * and a last-use flush of 10k keys run, and the server's RSS after a minute of traffic over 10k keys.
 */
const { values } = parseArgs({
  options: {
    file: { type: "string", default: DEFAULT_SQLITE_FILE },
    "database-url": { type: "string", default: process.env.BENCH_DATABASE_URL },
    schema: { type: "string", default: "bench_scale" },
    only: { type: "string", default: "list,sweep,serve" },
    "traffic-seconds": { type: "string", default: "60" },
  },
});
const only = new Set((values.only as string).split(","));
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await run();
  return [performance.now() - start, result];
}

/** The store as the service opens it, and a second handle for the benchmark's own writes. */
async function open(
  target: SeedTarget,
): Promise<{ store: Store; db: Kysely<Database>; close(): Promise<void> }> {
  if (target.kind === "sqlite") {
    const store = await openSqliteStore(target.file);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(target.file) }) });
    return { store, db, close: async () => void (await Promise.all([store.close(), db.destroy()])) };
  }
  const store = await openPostgresStore(target.url, { schema: target.schema });
  const pool = new pg.Pool({ connectionString: target.url, options: `-c search_path=${target.schema}` });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { store, db, close: async () => void (await Promise.all([store.close(), db.destroy()])) };
}

/** First page vs the deepest page of the large account (100 a page, as the API's largest page). */
async function listing(store: Store, manifest: SeedManifest): Promise<Record<string, number>> {
  const accountId = manifest.largeAccountId;
  const page = (after: PagePosition | null) => store.listCredentials({ accountId, after, limit: 101 });
  let after: PagePosition | null = null;
  let deepest: PagePosition | null = null;
  for (;;) {
    const rows = await page(after);
    if (rows.length < 101) break;
    deepest = after;
    const last = rows[99];
    if (!last) break;
    after = { at: last.createdAt.toISOString(), id: last.credentialId };
  }
  const first: number[] = [];
  const deep: number[] = [];
  for (let round = 0; round < 200; round++) {
    first.push((await timed(() => page(null)))[0]);
    deep.push((await timed(() => page(deepest ?? after)))[0]);
  }
  return { first: median(first), deepest: median(deep), ratio: median(deep) / median(first) };
}

async function sweeps(target: SeedTarget, label: string): Promise<void> {
  const manifest = readManifest(target);
  const { store, db, close } = await open(target);
  try {
    if (only.has("list")) {
      const list = await listing(store, manifest);
      log(
        `${label} listing (${manifest.largeAccountCredentials} credentials): first page ${ms(list.first ?? 0)}, ` +
          `deepest ${ms(list.deepest ?? 0)}, ratio ${(list.ratio ?? 0).toFixed(2)}`,
      );
    }
    if (!only.has("sweep")) return;
    // Batches as `serve` writes them: 100 rows a transaction on SQLite, 500 on PostgreSQL.
    const lifecycle = new LifecycleService(
      { store, clock: systemClock, random: systemRandom },
      {
        disableAfterMs: 60 * 86_400_000,
        deleteAfterMs: 300 * 86_400_000,
        warnBeforeMs: 7 * 86_400_000,
        rotationQuietPeriodMs: 15 * 60_000,
      },
      { batchSize: target.kind === "sqlite" ? 100 : 500 },
    );
    const asOf = new Date(manifest.now);
    const results: Record<number, { dry: number; apply: number }> = {};
    for (const due of [1_000, 10_000].filter((n) => n <= manifest.duePool.length)) {
      await prepareDue(db, manifest, due);
      await sql`analyze`.execute(db);
      const [dry, planned] = await timed(() => lifecycle.sweep({ asOf, dryRun: true }));
      const [apply, made] = await timed(() => lifecycle.sweep({ asOf }));
      if (planned.transitions.length !== due || made.transitions.length !== due)
        throw new Error(
          `expected ${due} transitions, got ${planned.transitions.length} / ${made.transitions.length}`,
        );
      results[due] = { dry, apply };
      log(
        `${label} sweep, ${due} due among ${manifest.credentials} stored: dry run ${ms(dry)}, apply ${ms(apply)}`,
      );
    }
    const small = results[1_000];
    const large = results[10_000];
    if (small && large)
      log(
        `${label} sweep 10k ÷ 1k: dry run ${(large.dry / small.dry).toFixed(1)}×, apply ${(large.apply / small.apply).toFixed(1)}×`,
      );
  } finally {
    await close();
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sequential `/healthz` probes until `until` resolves: every latency, in ms. */
async function probe(url: string, until: Promise<unknown>): Promise<number[]> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  while (!done) {
    const start = performance.now();
    await get(url);
    latencies.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, 2));
  }
  return latencies;
}

/** Requests with each key in turn from `workers` parallel loops, until `deadline` (or once through). */
async function traffic(
  url: string,
  keys: string[],
  workers: number,
  deadline: number | null,
): Promise<number> {
  let next = 0;
  let sent = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        if (deadline === null ? next >= keys.length : Date.now() >= deadline) return;
        const key = keys[next++ % keys.length] as string;
        const status = await get(url, { authorization: `Basic ${key}` });
        if (status !== 200) throw new Error(`GET ${url} with a seeded key: ${status}`);
        sent++;
      }
    }),
  );
  return sent;
}

const summary = (xs: number[]): string =>
  `worst ${ms(Math.max(...xs))}, p99 ${ms([...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? 0)} over ${xs.length} probes`;

async function inServe(file: string): Promise<void> {
  // `partnerctl` runs the compiled dist/: build it from the sources being measured.
  execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });
  const manifest = readManifest({ kind: "sqlite", file });
  const dataDir = mkdtempSync(join(tmpdir(), "scale-serve-"));
  const copy = join(dataDir, "store.sqlite");
  {
    const { db, close } = await open({ kind: "sqlite", file });
    await prepareDue(db, manifest, Math.min(10_000, manifest.duePool.length));
    await close();
  }
  copyFileSync(file, copy);
  const port = await freePort();
  const internalPort = await freePort();
  let server: Child | null = null;
  try {
    server = await startProcess({
      name: "partnerctl serve",
      command: "./bin/partnerctl",
      args: ["serve", "--port", String(port)],
      env: {
        DATA_DIR: dataDir,
        DATABASE_URL: `sqlite:${copy}`,
        PEPPER: manifest.pepper,
        BRAND: manifest.brand,
        ADMIN_TOKEN: "scale-benchmark-admin-token-0123456789",
        INTERNAL_PORT: String(internalPort),
        LOG_LEVEL: "warn",
        TLS_PORT: "off",
        LIFECYCLE_SWEEP_INTERVAL: "PT10S",
        ROTATION_CHECK_INTERVAL: "PT1H",
        USAGE_FLUSH_INTERVAL: "PT20S",
        RATE_LIMIT_API: "100000000/1s",
        AUTH_FAILURES_PER_IP: "100000000/1m",
      },
      ready: `http://127.0.0.1:${port}/healthz`,
    });
    const healthz = `http://127.0.0.1:${port}/healthz`;
    const due = Math.min(10_000, manifest.duePool.length);
    const swept = (async () => {
      for (;;) {
        const response = await fetch(`http://127.0.0.1:${internalPort}/metrics`);
        const text = await response.text();
        const total = [...text.matchAll(/^partner_credentials_lifecycle_transitions_total\{[^}]*\} (\d+)/gm)]
          .map((m) => Number(m[1]))
          .reduce((a, b) => a + b, 0);
        if (total >= due) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    // Warm-up probes (not counted) while the first sweep (10 s after start) is still to come.
    await probe(healthz, new Promise((r) => setTimeout(r, 2_000)));
    const [sweepWindow, during] = await timed(() => probe(healthz, swept));
    log(
      `serve (SQLite) /healthz from before the in-serve sweep of ${due} transitions to its end (${ms(sweepWindow)}): ${summary(during)}`,
    );
    const idle = await probe(healthz, new Promise((r) => setTimeout(r, 3_000)));
    log(`serve (SQLite) /healthz idle: ${summary(idle)}`);

    // Starts right after a flush (seen in the store), so that all 10k uses land in the next one.
    const keys = manifest.keys;
    const reader = new SQLite(copy, { readonly: true });
    const lastUsed = reader.prepare("select last_used_at as at from credentials where lookup_id = ?");
    const lookupOf = (key: string): string => parseKey(manifest.brand, key)?.lookupId ?? "";
    const usedAt = (key: string): string | null =>
      (lastUsed.get(lookupOf(key)) as { at: string | null } | undefined)?.at ?? null;
    const marker = keys[0] as string;
    const before = usedAt(marker);
    await get(`http://127.0.0.1:${port}/v1/account`, { authorization: `Basic ${marker}` });
    while (usedAt(marker) === before) await new Promise((r) => setTimeout(r, 20));
    const [burst] = await timed(() => traffic(`http://127.0.0.1:${port}/v1/account`, keys, 16, null));
    log(`serve (SQLite) ${keys.length} distinct keys used once each in ${ms(burst)} (flush every 20 s)`);
    const flushed = (async () => {
      const last = keys[keys.length - 1] as string;
      const previous = usedAt(last);
      while (usedAt(last) === previous) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 1_000));
    })();
    const flushing = await probe(healthz, flushed);
    reader.close();
    log(`serve (SQLite) /healthz across the last-use flush of ${keys.length} keys: ${summary(flushing)}`);

    const seconds = Number(values["traffic-seconds"]);
    const sent = await traffic(`http://127.0.0.1:${port}/v1/account`, keys, 32, Date.now() + seconds * 1000);
    const status = readFileSync(`/proc/${server.child.pid}/status`, "utf8");
    const kb = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
    log(
      `serve (SQLite) RSS after ${seconds} s of traffic over ${keys.length} keys (${sent} requests, ${manifest.credentials} stored): ` +
        `${(kb("VmRSS") / 1024).toFixed(0)} MB (peak ${(kb("VmHWM") / 1024).toFixed(0)} MB)`,
    );
    log(
      `serve (SQLite) of that RSS: ${(kb("RssAnon") / 1024).toFixed(0)} MB anonymous, ` +
        `${(kb("RssFile") / 1024).toFixed(0)} MB file-backed; ${kb("Threads")} threads`,
    );
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

log(
  `scale: nproc ${availableParallelism()}, Node ${process.version}, load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")}`,
);
const sqliteTarget: SeedTarget = { kind: "sqlite", file: values.file as string };
if (only.has("list") || only.has("sweep")) {
  await sweeps(sqliteTarget, "SQLite");
  const url = values["database-url"];
  if (url) await sweeps({ kind: "postgres", url, schema: values.schema as string }, "PostgreSQL");
}
if (only.has("serve")) await inServe(values.file as string);
log(
  `scale: done, load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(" ")}`,
);
agent.destroy();
