import autocannon from "autocannon";

/** Seconds per case: BENCH_SECONDS, or 2 s for in-process loops and 5 s for HTTP load. */
export function seconds(fallback: number): number {
  const raw = process.env.BENCH_SECONDS;
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`BENCH_SECONDS must be a positive number (got "${raw}")`);
  return value;
}

export const LOOP_SECONDS = seconds(2);
export const HTTP_SECONDS = seconds(5);
export const CONNECTIONS = 50;

export interface LoopResult {
  name: string;
  perSecond: number;
}

/** Calls `run` one at a time (awaiting each) for LOOP_SECONDS after 200 warm-up calls. */
export async function measure(name: string, run: () => unknown | Promise<unknown>): Promise<LoopResult> {
  for (let i = 0; i < 200; i++) await run();
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(LOOP_SECONDS * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) await run();
    count += 50;
    now = process.hrtime.bigint();
  }
  return { name, perSecond: count / (Number(now - start) / 1e9) };
}

export interface LoadResult {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * HTTP load with autocannon from this process: CONNECTIONS keep-alive connections, a 1 s warm-up,
 * then HTTP_SECONDS measured. Every answer must be a 2xx: a benchmark of refusals would mislead.
 */
export async function load(
  name: string,
  request: { url: string; headers?: Record<string, string> },
): Promise<LoadResult> {
  const options = { ...request, connections: CONNECTIONS, timeout: 10 };
  await autocannon({ ...options, duration: 1 });
  const result = await autocannon({ ...options, duration: HTTP_SECONDS });
  if (result.non2xx > 0 || result.errors > 0 || result["2xx"] === 0) {
    throw new Error(
      `${name}: ${result["2xx"]} 2xx, ${result.non2xx} other statuses ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors (${result.timeouts} timeouts)`,
    );
  }
  return {
    name,
    perSecond: result["2xx"] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

export function integer(value: number, width: number): string {
  return Math.round(value).toLocaleString("en-US").padStart(width);
}
