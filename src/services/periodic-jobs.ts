/** What drives periodic jobs: intervals in production, a hand-moved ticker in tests. */
export interface Ticker {
  /**
   * Calls `tick` every `intervalMs` until cancelled. `name` says which job it drives; the promise a
   * tick returns is the run it started (or the one still in flight), and never rejects.
   */
  every(name: string, intervalMs: number, tick: () => Promise<void>): { cancel(): void };
}

/** `setInterval`, unreferenced: a pending tick never keeps the process alive. */
export const intervalTicker: Ticker = {
  every(_name, intervalMs, tick) {
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    return { cancel: () => clearInterval(timer) };
  },
};

export interface PeriodicJob {
  name: string;
  intervalMs: number;
  /** One run; `signal` is aborted by `stop`, and a long run should end early when it is. */
  run(signal: AbortSignal): Promise<void>;
  /** What a failed run reports to; the job runs again on its next tick. */
  onError(error: unknown): void;
}

/**
 * Runs jobs on a ticker. A job never overlaps its own previous run. `stop` cancels every tick,
 * aborts the signal the runs were given and waits for every run in flight, however each ends.
 */
export class PeriodicJobs {
  readonly #ticker: Ticker;
  readonly #ticks: { cancel(): void }[] = [];
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #stopping = new AbortController();

  constructor(ticker: Ticker = intervalTicker) {
    this.#ticker = ticker;
  }

  add(job: PeriodicJob): void {
    if (this.#stopping.signal.aborted)
      throw new Error(`Cannot add the job ${job.name}: the jobs are stopped`);
    this.#ticks.push(this.#ticker.every(job.name, job.intervalMs, () => this.#tick(job)));
  }

  async stop(): Promise<void> {
    for (const tick of this.#ticks.splice(0)) tick.cancel();
    this.#stopping.abort();
    // Every run, not only the latest: a sweep still running must not outlive the store it writes to.
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  #tick(job: PeriodicJob): Promise<void> {
    const running = this.#inFlight.get(job.name);
    if (running) return running;
    if (this.#stopping.signal.aborted) return Promise.resolve();
    const run = Promise.resolve()
      .then(() => job.run(this.#stopping.signal))
      .catch((error: unknown) => job.onError(error))
      .finally(() => this.#inFlight.delete(job.name));
    this.#inFlight.set(job.name, run);
    return run;
  }
}
