import autocannon from "autocannon";
import { processCpuSeconds } from "./cpu-time.ts";

/** Seconds per case: BENCH_SECONDS, or the default of the kind of case. */
function seconds(fallback: number): number {
  const raw = process.env.BENCH_SECONDS;
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`BENCH_SECONDS must be a positive number (got "${raw}")`);
  return value;
}

function rounds(): number {
  const raw = process.env.BENCH_ROUNDS ?? "3";
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_ROUNDS must be 1 or more (got "${raw}")`);
  return value;
}

/** In-process loops: 2 s per case unless BENCH_SECONDS says otherwise. */
export const LOOP_SECONDS = seconds(2);
/** HTTP load: 6 s per case unless BENCH_SECONDS says otherwise, split over ROUNDS. */
export const HTTP_SECONDS = seconds(6);
/** Cases compared with each other run in turn, this many times, so drift hits them alike. */
export const ROUNDS = rounds();
export const WARM_UP_SECONDS = 2;
export const CONNECTIONS = 50;

export interface LoopResult {
  name: string;
  perSecond: number;
  /** Slowest and fastest round, ops/s (equal with one round). */
  min: number;
  max: number;
}

async function loop(run: () => unknown | Promise<unknown>, seconds: number): Promise<[number, number]> {
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) await run();
    count += 50;
    now = process.hrtime.bigint();
  }
  return [count, Number(now - start) / 1e9];
}

/** Calls `run` one at a time (awaiting each) for LOOP_SECONDS after 200 warm-up calls. */
export async function measure(name: string, run: () => unknown | Promise<unknown>): Promise<LoopResult> {
  return (await measureInTurn([{ name, run }], 1))[0] as LoopResult;
}

/**
 * Like `measure`, for cases to compare: each gets LOOP_SECONDS in all, in `turns` slices taken in
 * turn (a, b, a, b, …).
 */
export async function measureInTurn(
  cases: { name: string; run: () => unknown | Promise<unknown> }[],
  turns = ROUNDS,
): Promise<LoopResult[]> {
  for (const c of cases) for (let i = 0; i < 200; i++) await c.run();
  const slices = cases.map(() => [] as [number, number][]);
  for (let turn = 0; turn < turns; turn++) {
    for (const [i, c] of cases.entries()) slices[i]?.push(await loop(c.run, LOOP_SECONDS / turns));
  }
  return cases.map((c, i) => {
    const done = slices[i] ?? [];
    const rates = done.map(([count, time]) => count / time);
    const total = done.reduce((sum, [count]) => sum + count, 0);
    const time = done.reduce((sum, [, t]) => sum + t, 0);
    return { name: c.name, perSecond: total / time, min: Math.min(...rates), max: Math.max(...rates) };
  });
}

export interface HttpCase {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** `Authorization` values sent in turn, one per request, across all connections. */
  authorizations?: readonly string[];
  /** The server's process: its CPU time per answer is measured too. */
  pid?: number | undefined;
}

export interface LoadResult {
  name: string;
  /** The median round's 2xx answers per second. */
  perSecond: number;
  /** Slowest and fastest round, req/s. */
  min: number;
  max: number;
  /** Median of the rounds' medians and of their 99th percentiles, in ms. */
  p50: number;
  p99: number;
  /**
   * Median of the rounds' server CPU time per 2xx answer, in µs (all the server's threads, user and
   * system): what a request costs the server, whether or not the load generator is the ceiling.
   */
  cpuMicros: number | null;
}

/** Where each rotating case is in its keys: a round goes on where the last one stopped. */
const rotations = new WeakMap<HttpCase, { next: number }>();

/** Each request takes the next of `authorizations`, whichever connection sends it. */
function rotating(c: HttpCase, authorizations: readonly string[]) {
  let rotation = rotations.get(c);
  if (!rotation) {
    rotation = { next: 0 };
    rotations.set(c, rotation);
  }
  const at = rotation;
  const headers = c.headers ?? {};
  return [
    {
      setupRequest: (request: { headers?: Record<string, string> }) => {
        const authorization = authorizations[at.next] as string;
        at.next = (at.next + 1) % authorizations.length;
        return { ...request, headers: { ...headers, authorization } };
      },
    },
  ];
}

/** `amount`: that many requests instead of `duration` seconds. */
async function cannon(c: HttpCase, duration: number, amount?: number) {
  const result = await autocannon({
    url: c.url,
    headers: c.headers ?? {},
    ...(c.authorizations ? { requests: rotating(c, c.authorizations) } : {}),
    connections: CONNECTIONS,
    timeout: 10,
    duration,
    ...(amount === undefined ? {} : { amount }),
  });
  // Every answer must be a 2xx: a benchmark of refusals or proxy errors would mislead.
  if (result.non2xx > 0 || result.errors > 0 || result["2xx"] === 0) {
    throw new Error(
      `${c.name}: ${result["2xx"]} 2xx, ${result.non2xx} other statuses ${JSON.stringify(result.statusCodeStats)}, ${result.errors} errors (${result.timeouts} timeouts)`,
    );
  }
  return result;
}

/**
 * HTTP load with autocannon from this process, CONNECTIONS keep-alive connections: a warm-up of
 * every case, then ROUNDS rounds in which each case runs HTTP_SECONDS / ROUNDS in turn.
 */
export async function loadInTurn(
  cases: HttpCase[],
  progress: (line: string) => void = () => {},
): Promise<LoadResult[]> {
  for (const c of cases) {
    progress(`warm-up ${c.name}`);
    await cannon(c, WARM_UP_SECONDS);
    // Hot keys are keys the service has seen: every key of a rotating case is used once before the
    // rounds (which then find each one in the cache, or revalidate it once it is older than the
    // cache's trust window), however few of them the time-based warm-up reached.
    const keys = c.authorizations?.length ?? 0;
    // (autocannon sends at least one request per connection.)
    if (keys > 1) await cannon(c, WARM_UP_SECONDS, Math.max(keys, CONNECTIONS));
  }
  const rounds = cases.map(() => [] as Awaited<ReturnType<typeof cannon>>[]);
  const cpu = cases.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    progress(`round ${round + 1}/${ROUNDS}`);
    for (const [i, c] of cases.entries()) {
      const before = c.pid === undefined ? null : processCpuSeconds(c.pid);
      const result = await cannon(c, HTTP_SECONDS / ROUNDS);
      const after = c.pid === undefined ? null : processCpuSeconds(c.pid);
      rounds[i]?.push(result);
      if (before !== null && after !== null) cpu[i]?.push(((after - before) / result["2xx"]) * 1e6);
    }
  }
  return cases.map((c, i) => {
    const done = rounds[i] ?? [];
    const rates = done.map((r) => r["2xx"] / r.duration);
    return {
      name: c.name,
      perSecond: median(rates),
      min: Math.min(...rates),
      max: Math.max(...rates),
      p50: median(done.map((r) => r.latency.p50)),
      p99: median(done.map((r) => r.latency.p99)),
      cpuMicros: cpu[i]?.length ? median(cpu[i] ?? []) : null,
    };
  });
}

/** The middle value (the lower middle of an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

export function integer(value: number, width: number): string {
  return Math.round(value).toLocaleString("en-US").padStart(width);
}
