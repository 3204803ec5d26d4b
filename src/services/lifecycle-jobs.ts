import type { LifecycleRule } from "../domain/lifecycle-rules.ts";
import { ROTATION_RULES, type SweepReport } from "./lifecycle.ts";
import type { PeriodicJob } from "./periodic-jobs.ts";

export interface SweepOptions {
  rules?: readonly LifecycleRule[];
  /** Aborted to stop the sweep after its current batch. */
  signal?: AbortSignal;
}

/** What runs the sweeps: the LifecycleService itself, or a thread running one (background-writer.ts). */
export interface Sweeper {
  sweep(options?: SweepOptions): Promise<SweepReport>;
}

export interface LifecycleScheduleOptions {
  sweepIntervalMs: number;
  rotationIntervalMs: number;
  /** A run's report, when it made transitions. */
  onReport: (report: SweepReport) => void;
  onError: (error: unknown) => void;
}

/**
 * The lifecycle rules inside `serve`: the whole sweep on a long interval (`lifecycle-sweep`), the
 * rotation rules (overlap ends) on a short one (`rotation-check`). Run by `PeriodicJobs`, so a run
 * never overlaps the previous one of its kind and stopping waits for every run in flight; a
 * stopping run ends after its current batch.
 */
export function lifecycleJobs(
  lifecycle: Sweeper,
  options: LifecycleScheduleOptions,
): { sweep: PeriodicJob; rotation: PeriodicJob } {
  const reported = async (sweep: Promise<SweepReport>): Promise<void> => {
    const report = await sweep;
    if (report.transitions.length > 0) options.onReport(report);
  };
  return {
    sweep: {
      name: "lifecycle-sweep",
      intervalMs: options.sweepIntervalMs,
      run: (signal) => reported(lifecycle.sweep({ signal })),
      onError: options.onError,
    },
    rotation: {
      name: "rotation-check",
      intervalMs: options.rotationIntervalMs,
      run: (signal) => reported(lifecycle.sweep({ rules: ROTATION_RULES, signal })),
      onError: options.onError,
    },
  };
}
