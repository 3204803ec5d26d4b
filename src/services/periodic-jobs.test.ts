import { describe, expect, it } from "vitest";
import { intervalTicker, type PeriodicJob, PeriodicJobs, type Ticker } from "./periodic-jobs.ts";

/** Ticks by hand: `fire(name)` is one tick of that job. */
function manualTicker(): Ticker & { fire(name: string): Promise<void>; names(): string[] } {
  const ticks = new Map<string, () => Promise<void>>();
  return {
    every: (name, _intervalMs, tick) => {
      ticks.set(name, tick);
      return { cancel: () => ticks.delete(name) };
    },
    fire: (name) => ticks.get(name)?.() ?? Promise.resolve(),
    names: () => [...ticks.keys()],
  };
}

/** A job whose runs wait until the test ends them one by one. */
function heldJob(name: string, options: { fail?: boolean } = {}) {
  const ends: (() => void)[] = [];
  const signals: AbortSignal[] = [];
  const errors: unknown[] = [];
  let runs = 0;
  const job: PeriodicJob = {
    name,
    intervalMs: 1_000,
    run: (signal) => {
      runs++;
      signals.push(signal);
      return new Promise<void>((resolve, reject) =>
        ends.push(() => (options.fail ? reject(new Error(`${name} failed`)) : resolve())),
      );
    },
    onError: (error) => errors.push(error),
  };
  return {
    job,
    end: () => ends.shift()?.(),
    runs: () => runs,
    signals,
    errors,
  };
}

const settled = (promise: Promise<unknown>): Promise<boolean> =>
  Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20))]);

describe("PeriodicJobs", () => {
  it("never overlaps a job with its own run: a tick meanwhile gets the run in flight", async () => {
    const ticker = manualTicker();
    const jobs = new PeriodicJobs(ticker);
    const sweep = heldJob("sweep");
    jobs.add(sweep.job);
    const first = ticker.fire("sweep");
    const second = ticker.fire("sweep");
    await Promise.resolve();
    expect(sweep.runs()).toBe(1);
    sweep.end();
    await Promise.all([first, second]);
    const third = ticker.fire("sweep");
    await Promise.resolve();
    expect(sweep.runs()).toBe(2);
    sweep.end();
    await third;
  });

  it("stop waits for every run in flight, however each ends, not only the last one started", async () => {
    const ticker = manualTicker();
    const jobs = new PeriodicJobs(ticker);
    const sweep = heldJob("sweep");
    const purge = heldJob("purge", { fail: true });
    jobs.add(sweep.job);
    jobs.add(purge.job);
    void ticker.fire("sweep");
    void ticker.fire("purge");
    await Promise.resolve();
    const stopped = jobs.stop();
    expect(sweep.signals[0]?.aborted).toBe(true);
    purge.end();
    expect(await settled(stopped)).toBe(false);
    sweep.end();
    expect(await settled(stopped)).toBe(true);
    expect(purge.errors).toMatchObject([{ message: "purge failed" }]);
  });

  it("starts no run once stopped, and cancels every tick", async () => {
    const ticker = manualTicker();
    const jobs = new PeriodicJobs(ticker);
    const sweep = heldJob("sweep");
    jobs.add(sweep.job);
    expect(ticker.names()).toEqual(["sweep"]);
    await jobs.stop();
    expect(ticker.names()).toEqual([]);
    expect(() => jobs.add(heldJob("late").job)).toThrow(/stopped/);
    expect(sweep.runs()).toBe(0);
  });

  it("reports a failed run and runs the job again on its next tick", async () => {
    const ticker = manualTicker();
    const jobs = new PeriodicJobs(ticker);
    const flaky = heldJob("flaky", { fail: true });
    jobs.add(flaky.job);
    const first = ticker.fire("flaky");
    await Promise.resolve();
    flaky.end();
    await first;
    expect(flaky.errors).toHaveLength(1);
    const second = ticker.fire("flaky");
    await Promise.resolve();
    expect(flaky.runs()).toBe(2);
    flaky.end();
    await second;
    await jobs.stop();
  });
});

describe("intervalTicker", () => {
  it("ticks on its interval until cancelled", async () => {
    let ticks = 0;
    const tick = intervalTicker.every("count", 5, async () => {
      ticks++;
    });
    while (ticks < 2) await new Promise((r) => setTimeout(r, 5));
    tick.cancel();
    const seen = ticks;
    await new Promise((r) => setTimeout(r, 30));
    expect(ticks).toBe(seen);
  });
});
