import type { CoreServices } from "./compose.ts";
import { lifecycleJobs, type Sweeper } from "./services/lifecycle-jobs.ts";
import { type PeriodicJob, PeriodicJobs, type Ticker } from "./services/periodic-jobs.ts";
import type { WebhookDispatcher } from "./services/webhook-dispatcher.ts";

/** The periodic work of the service, each its own job with its own interval. */
export type JobName =
  | "usage-flush"
  | "lifecycle-sweep"
  | "rotation-check"
  | "idempotency-purge"
  | "webhook-dispatch"
  | "lifecycle-notices"
  | "webhook-purge"
  | "addresses-seen-purge";

export const JOB_NAMES: readonly JobName[] = [
  "usage-flush",
  "lifecycle-sweep",
  "rotation-check",
  "idempotency-purge",
  "webhook-dispatch",
  "lifecycle-notices",
  "webhook-purge",
  "addresses-seen-purge",
];

export interface Jobs {
  /**
   * Stops every job: no run starts any more, a running sweep stops after its current batch, and it
   * resolves once every run in flight has ended. Then the services may be closed.
   */
  stop(): Promise<void>;
}

export interface JobOptions {
  /** Only these jobs (the gateway and the verifier only flush last-use records); default: all. */
  only?: readonly JobName[];
  /** What drives the intervals; `setInterval` by default. */
  ticker?: Ticker;
  /** What runs the lifecycle sweeps; the services' LifecycleService by default. */
  sweeper?: Sweeper;
}

/**
 * Starts the periodic work over the services: last-use flushes (`USAGE_FLUSH_INTERVAL`), the
 * lifecycle sweep (`LIFECYCLE_SWEEP_INTERVAL`), the rotation check (`ROTATION_CHECK_INTERVAL`) and
 * the purge of expired idempotency records (with the sweep's interval), the webhook dispatcher
 * (`WEBHOOK_DISPATCH_INTERVAL`; only with the full services) and the time-based lifecycle notices
 * (`WEBHOOK_NOTICE_INTERVAL`), and the purge of the settled webhook deliveries (with the sweep's
 * interval), and the purge of the addresses seen (not seen for 30 days, or beyond each account's 100
 * most recent; with the sweep's interval). `serve` starts them all.
 */
export function startJobs(
  services: CoreServices & { webhookDispatcher?: WebhookDispatcher },
  options: JobOptions = {},
): Jobs {
  const { config, logger, metrics } = services;
  const { sweep, rotation } = lifecycleJobs(options.sweeper ?? services.lifecycle, {
    sweepIntervalMs: config.lifecycleSweepIntervalMs,
    rotationIntervalMs: config.rotationCheckIntervalMs,
    onReport: (report) => {
      for (const t of report.transitions) metrics.lifecycleTransitions.inc({ rule: t.rule });
      logger.info({ transitions: report.transitions.length, as_of: report.asOf }, "lifecycle sweep");
    },
    onError: (error) => logger.error({ err: error }, "lifecycle sweep failed"),
  });
  const all: Record<JobName, PeriodicJob> = {
    "usage-flush": {
      name: "usage-flush",
      intervalMs: config.usageFlushIntervalMs,
      run: () => services.usage.flush(),
      onError: (error) => logger.error({ err: error }, "last-use flush failed"),
    },
    "lifecycle-sweep": sweep,
    "rotation-check": rotation,
    "idempotency-purge": {
      name: "idempotency-purge",
      intervalMs: config.lifecycleSweepIntervalMs,
      run: async () => {
        const purged = await services.idempotency.purgeExpired();
        if (purged > 0) logger.debug({ purged }, "expired idempotency records purged");
      },
      onError: (error) => logger.error({ err: error }, "idempotency purge failed"),
    },
    "webhook-dispatch": {
      name: "webhook-dispatch",
      intervalMs: config.webhooks.dispatchIntervalMs,
      run: async (signal) => {
        const report = await services.webhookDispatcher?.dispatch(signal);
        if (!report) return;
        if (report.delivered > 0) metrics.webhookAttempts.inc({ outcome: "delivered" }, report.delivered);
        if (report.failed > 0) metrics.webhookAttempts.inc({ outcome: "failed" }, report.failed);
        if (report.endpointsDisabled > 0) metrics.webhookEndpointsDisabled.inc(report.endpointsDisabled);
        if (report.delivered + report.failed > 0) logger.debug({ ...report }, "webhooks dispatched");
        if (report.endpointsDisabled > 0)
          logger.warn(
            { endpoints: report.endpointsDisabled },
            "webhook endpoints failing for 3 days disabled",
          );
      },
      onError: (error) => logger.error({ err: error }, "webhook dispatch failed"),
    },
    "lifecycle-notices": {
      name: "lifecycle-notices",
      intervalMs: config.webhooks.noticeIntervalMs,
      run: async () => {
        const recorded = await services.notices.record();
        if (recorded > 0) logger.info({ recorded }, "lifecycle notices recorded");
      },
      onError: (error) => logger.error({ err: error }, "lifecycle notices failed"),
    },
    "webhook-purge": {
      name: "webhook-purge",
      intervalMs: config.lifecycleSweepIntervalMs,
      run: async () => {
        const purged = (await services.webhookDispatcher?.purgeHistory()) ?? 0;
        if (purged > 0) logger.debug({ purged }, "settled webhook deliveries and old notices purged");
      },
      onError: (error) => logger.error({ err: error }, "webhook purge failed"),
    },
    "addresses-seen-purge": {
      name: "addresses-seen-purge",
      intervalMs: config.lifecycleSweepIntervalMs,
      run: async () => {
        const purged = await services.usage.pruneAddressesSeen(services.clock.now());
        if (purged > 0) logger.debug({ purged }, "addresses seen pruned");
      },
      onError: (error) => logger.error({ err: error }, "addresses seen purge failed"),
    },
  };
  const jobs = new PeriodicJobs(options.ticker);
  for (const name of options.only ?? JOB_NAMES) {
    jobs.add(all[name]);
  }
  return { stop: () => jobs.stop() };
}
