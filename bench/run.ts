/**
 * One command for every benchmark: `npm run bench`. Each ratio is against a baseline measured in the
 * same run on the same machine, so the ratios (not the absolute figures) are what compare across
 * machines.
 *   1. authentication hot path, in process (`app.inject`) ÷ one HMAC-SHA-256 of a key;
 *   2. authorization edge over HTTP (autocannon, servers in child processes): forward-auth ÷ a bare
 *      Fastify route (baseline A), gateway with authorization ÷ the same gateway without;
 *   3. the in-process verifier's `verify()` ÷ one HMAC-SHA-256 of a key (baseline B).
 * BENCH_SECONDS sets the duration of every case (default: 2 s in process, 5 s over HTTP);
 * BENCH_ONLY=hot-path or BENCH_ONLY=edge runs one part.
 */
import { cpus } from "node:os";
import { runEdge } from "./edge.ts";
import { runHotPath, STORED_CREDENTIALS } from "./hot-path.ts";
import {
  CONNECTIONS,
  HTTP_SECONDS,
  integer,
  LOOP_SECONDS,
  type LoadResult,
  type LoopResult,
} from "./measure.ts";
import { killAll } from "./processes.ts";

const only = process.env.BENCH_ONLY ?? "";
if (!["", "hot-path", "edge"].includes(only)) {
  throw new Error(`BENCH_ONLY must be hot-path or edge (got "${only}")`);
}
const progress = (line: string): void => {
  process.stderr.write(`… ${line}\n`);
};
const write = (line = ""): void => {
  process.stdout.write(`${line}\n`);
};
const ratio = (value: number): string => value.toFixed(2).padStart(7);

try {
  const hotPath = only === "edge" ? null : await runHotPath(progress);
  const edge = only === "hot-path" ? null : await runEdge(progress);

  write();
  write(
    `Node ${process.version}, ${cpus().length} CPU cores (${cpus()[0]?.model.trim() ?? "unknown"}), ${process.platform} ${process.arch}`,
  );

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
    const A = edge.bare.perSecond;
    const row = (label: string, r: LoadResult): void =>
      write(
        `${label.padEnd(58)} ${integer(r.perSecond, 8)} ${ratio(r.perSecond / A)} ${r.p50.toString().padStart(7)} ${r.p99.toString().padStart(7)}`,
      );
    write();
    write(
      `Authorization edge over HTTP: autocannon, ${CONNECTIONS} connections, 1 s warm-up + ${HTTP_SECONDS} s per case, servers in child processes`,
    );
    write(
      `${"case".padEnd(58)} ${"req/s".padStart(8)} ${"÷ A".padStart(7)} ${"p50 ms".padStart(7)} ${"p99 ms".padStart(7)}`,
    );
    row("A  bare Fastify GET / → {hello:world} (baseline A)", edge.bare);
    row("   serve GET /healthz (its HTTP stack, no authorization)", edge.healthz);
    row("   forward-auth GET /internal/v1/authorize, valid key", edge.forwardAuth);
    row("   gateway GET /payments/orders, authorization off", edge.gatewayNoAuth);
    row("   gateway GET /payments/orders, valid key", edge.gateway);
    write();
    write("Ratios (req/s ÷ req/s; 1.00 = as fast)");
    write(
      `${"   forward-auth ÷ bare Fastify route (A)".padEnd(58)} ${ratio(edge.forwardAuth.perSecond / A)}`,
    );
    write(
      `${"   forward-auth ÷ serve GET /healthz".padEnd(58)} ${ratio(edge.forwardAuth.perSecond / edge.healthz.perSecond)}`,
    );
    write(
      `${"   gateway with authorization ÷ gateway without".padEnd(58)} ${ratio(edge.gateway.perSecond / edge.gatewayNoAuth.perSecond)}`,
    );

    const { hmac: B, verify } = edge;
    const loop = (label: string, r: LoopResult): void =>
      write(
        `${label.padEnd(58)} ${integer(r.perSecond, 9)} ${ratio(r.perSecond / B.perSecond)} ${`${(B.perSecond / r.perSecond).toFixed(1)}x`.padStart(15)}`,
      );
    write();
    write(`Verifier in process: sequential await loop, ${LOOP_SECONDS} s per case`);
    write(`${"case".padEnd(58)} ${"ops/s".padStart(9)} ${"÷ B".padStart(7)} ${"× B's time".padStart(15)}`);
    loop("B  one HMAC-SHA-256 of a key (baseline B)", B);
    loop("   verifier.verify(), valid key", verify);
  }
} finally {
  killAll();
}
