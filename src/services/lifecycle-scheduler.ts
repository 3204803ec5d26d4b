import { type LifecycleService, ROTATION_RULES, type SweepReport } from "./lifecycle.ts";

export interface SchedulerOptions {
  sweepIntervalMs: number;
  rotationIntervalMs: number;
  onReport: (report: SweepReport) => void;
  onError: (error: unknown) => void;
  /** Runs with each full sweep (e.g. purging expired idempotency records). */
  housekeeping?: () => Promise<void>;
}

/**
 * Runs the lifecycle rules inside `serve`: the whole sweep on a long interval, the rotation
 * rules (overlap ends) on a short one. A run never overlaps the previous one of its kind.
 * `stop` asks running sweeps to stop after their current batch and waits for every one of them.
 */
export class LifecycleScheduler {
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #running = new Map<string, Promise<void>>();
  readonly #stopping = new AbortController();

  readonly #lifecycle: LifecycleService;
  readonly #options: SchedulerOptions;

  constructor(lifecycle: LifecycleService, options: SchedulerOptions) {
    this.#lifecycle = lifecycle;
    this.#options = options;
  }

  start(): void {
    this.#every(this.#options.sweepIntervalMs, "sweep", async () => {
      await this.#options.housekeeping?.();
      return this.#lifecycle.sweep({ signal: this.#stopping.signal });
    });
    this.#every(this.#options.rotationIntervalMs, "rotation", () =>
      this.#lifecycle.sweep({ rules: ROTATION_RULES, signal: this.#stopping.signal }),
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.length = 0;
    this.#stopping.abort();
    await Promise.all(this.#running.values());
  }

  #every(intervalMs: number, name: string, run: () => Promise<SweepReport>): void {
    const timer = setInterval(() => {
      if (this.#running.has(name) || this.#stopping.signal.aborted) return;
      const job = run()
        .then((report) => {
          if (report.transitions.length > 0) this.#options.onReport(report);
        }, this.#options.onError)
        .finally(() => this.#running.delete(name));
      this.#running.set(name, job);
    }, intervalMs);
    timer.unref();
    this.#timers.push(timer);
  }
}
