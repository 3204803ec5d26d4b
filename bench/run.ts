/**
 * One command for every benchmark: `npm run bench`. Each ratio is against a baseline measured in the
 * same run on the same machine, so the ratios (not the absolute figures) are what compare across
 * machines.
 *   1. authentication hot path, in process (`app.inject`) ÷ one HMAC-SHA-256 of a key;
 *   2. authorization edge over HTTP (autocannon, servers in child processes): every authenticated
 *      route of `serve`, forward-auth and 20,000 hot keys ÷ a bare Fastify route (baseline A), on
 *      SQLite and, with BENCH_DATABASE_URL and BENCH_REDIS_URL, on PostgreSQL + Redis; the gateway
 *      with authorization ÷ the same gateway without; and, as a calibration, the bare route after
 *      2 to 40 µs of busy work per request: what a route costing that much more can reach here;
 *   3. the in-process verifier's `verify()` ÷ one HMAC-SHA-256 of a key (baseline B);
 *   4. SQLite commits per second with synchronous = FULL (the default) ÷ NORMAL.
 * BENCH_SECONDS: seconds per case (default 2 in process, 6 over HTTP); BENCH_ROUNDS: the compared
 * cases run in turn this many times (default 3); BENCH_ONLY=hot-path, edge or durability runs one part.
 */
import { cpus, loadavg } from "node:os";
import { runDurability } from "./durability.ts";
import { runEdge } from "./edge.ts";
import { runHotPath, STORED_CREDENTIALS } from "./hot-path.ts";
import {
  CONNECTIONS,
  HTTP_SECONDS,
  integer,
  LOOP_SECONDS,
  type LoadResult,
  type LoopResult,
  ROUNDS,
  WARM_UP_SECONDS,
} from "./measure.ts";
import { killAll } from "./processes.ts";

const only = process.env.BENCH_ONLY ?? "";
if (!["", "hot-path", "edge", "durability"].includes(only)) {
  throw new Error(`BENCH_ONLY must be hot-path, edge or durability (got "${only}")`);
}
const progress = (line: string): void => {
  process.stderr.write(`… ${line}\n`);
};
const write = (line = ""): void => {
  process.stdout.write(`${line}\n`);
};
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const ratio = (value: number): string => value.toFixed(2).padStart(7);
/** Slowest and fastest round as ± percent of the result. */
const spread = (r: { perSecond: number; min: number; max: number }): string =>
  `${Math.round((100 * (r.min - r.perSecond)) / r.perSecond)}/+${Math.round((100 * (r.max - r.perSecond)) / r.perSecond)}%`.padStart(
    10,
  );

const loadBefore = load();
try {
  const hotPath = only === "" || only === "hot-path" ? await runHotPath(progress) : null;
  const edge = only === "" || only === "edge" ? await runEdge(progress) : null;
  const durability = only === "" || only === "durability" ? await runDurability(progress) : null;

  write();
  write(
    `Node ${process.version}, ${cpus().length} CPU cores (${cpus()[0]?.model.trim() ?? "unknown"}), ${process.platform} ${process.arch}`,
  );
  write(`load average (1/5/15 min) before the run: ${loadBefore}; after: ${load()}`);

  if (hotPath) {
    const { baseline, cases } = hotPath;
    write();
    write(
      `Authentication hot path: in process (app.inject), ${LOOP_SECONDS} s per case, ${STORED_CREDENTIALS} credentials stored`,
    );
    write(`${"case".padEnd(50)} ${"ops/s".padStart(9)}   ${"× baseline time".padStart(15)}`);
    for (const r of [baseline, ...cases]) {
      const label = r === baseline ? `baseline: ${r.name}` : r.name;
      write(
        `${label.padEnd(50)} ${integer(r.perSecond, 9)}   ${`${(baseline.perSecond / r.perSecond).toFixed(1)}x`.padStart(15)}`,
      );
    }
  }

  if (edge) {
    const cpu = (r: LoadResult, A: LoadResult): string =>
      r.cpuMicros === null || A.cpuMicros === null
        ? `${"-".padStart(7)} ${"-".padStart(8)}`
        : `${r.cpuMicros.toFixed(1).padStart(7)} ${`${(r.cpuMicros / A.cpuMicros).toFixed(1)}x`.padStart(8)}`;
    const row = (label: string, r: LoadResult, A: LoadResult): void =>
      write(
        `${label.padEnd(60)} ${integer(r.perSecond, 8)} ${spread(r)} ${ratio(r.perSecond / A.perSecond)} ${r.p50.toString().padStart(7)} ${r.p99.toString().padStart(7)} ${ratio(r.p99 / Math.max(A.p99, 1))} ${cpu(r, A)}`,
      );
    for (const set of [edge.sqlite, edge.postgres]) {
      if (!set) continue;
      write();
      write(
        `Authorization edge over HTTP, ${set.backend}: autocannon, ${CONNECTIONS} connections, servers in child processes; per case ${WARM_UP_SECONDS} s warm-up, then ${HTTP_SECONDS} s in ${ROUNDS} rounds taken in turn (medians of the rounds)`,
      );
      write(
        `${"case".padEnd(60)} ${"req/s".padStart(8)} ${"rounds".padStart(10)} ${"÷ A".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)} ${"p99 ÷ A".padStart(7)} ${"CPU µs".padStart(7)} ${"× A's".padStart(8)}`,
      );
      write(
        "   (CPU µs: the server's CPU time per answer, all its threads, read from /proc around each round; × A's: that ÷ baseline A's)",
      );
      row("A  bare Fastify GET / → {hello:world} (baseline A)", set.bare, set.bare);
      row("   bare Fastify, GET /v1/account's headers and body only", set.asAccount, set.bare);
      for (const { micros, result } of set.calibration) {
        row(`   bare Fastify + ${micros} µs of busy work per request`, result, set.bare);
      }
      for (const r of set.rows) row(`   ${r.label}`, r.result, set.bare);
      write(`${"   hot keys ÷ 1 key (same harness)".padEnd(60)} ${ratio(set.hotKeysRatio)}`);
    }
    write();
    write("Gateway, the same process with and without authorization (SQLite)");
    row("   gateway GET /payments/orders, authorization off", edge.gatewayNoAuth, edge.gatewayNoAuth);
    row("   gateway GET /payments/orders, valid key", edge.gateway, edge.gatewayNoAuth);

    const { hmac: B, verify } = edge;
    const loop = (label: string, r: LoopResult): void =>
      write(
        `${label.padEnd(56)} ${integer(r.perSecond, 8)} ${spread(r)} ${ratio(r.perSecond / B.perSecond)} ${`${(B.perSecond / r.perSecond).toFixed(1)}x`.padStart(11)}`,
      );
    write();
    write(
      `Verifier in process: sequential await loop, ${LOOP_SECONDS} s per case in ${ROUNDS} slices taken in turn`,
    );
    write(
      `${"case".padEnd(56)} ${"ops/s".padStart(8)} ${"rounds".padStart(10)} ${"÷ B".padStart(7)} ${"× B's time".padStart(11)}`,
    );
    loop("B  one HMAC-SHA-256 of a key (baseline B)", B);
    loop("   verifier.verify(), valid key", verify);
  }

  if (durability) {
    const [normal, full] = durability;
    if (normal && full) {
      write();
      write(`Durability of the embedded store: one transaction per change, ${LOOP_SECONDS} s per case`);
      write(`${"case".padEnd(56)} ${"commits/s".padStart(9)} ${"÷ NORMAL".padStart(9)}`);
      for (const r of [normal, full]) {
        write(
          `${`   ${r.name}`.padEnd(56)} ${integer(r.perSecond, 9)} ${ratio(r.perSecond / normal.perSecond).padStart(9)}`,
        );
      }
    }
  }
} finally {
  killAll();
}
