/**
 * The lifecycle sweep's thread (see lifecycle-worker.ts): its own connection to the SQLite file and
 * a LifecycleService over it. It takes `sweep` and `stop` messages and answers each sweep with its
 * report; every credential a sweep changes is posted back as an invalidation, which the serving
 * thread publishes on its bus as if it had made the change itself.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { LifecyclePolicy } from "./domain/lifecycle-policy.ts";
import type { LifecycleRule } from "./domain/lifecycle-rules.ts";
import { LifecycleService } from "./services/lifecycle.ts";
import { cachingStore } from "./store/caching-store.ts";
import type { Invalidation, InvalidationBus } from "./store/invalidation-bus.ts";
import { openSqliteStore, type SqliteSynchronous } from "./store/sqlite/sqlite-store.ts";
import { systemClock, systemRandom } from "./system.ts";

export interface SweepWorkerData {
  file: string;
  synchronous: SqliteSynchronous;
  policy: LifecyclePolicy;
  batchSize: number;
}

/** From the serving thread. */
export type ToSweepWorker =
  | { type: "sweep"; id: number; asOf: Date; rules?: readonly LifecycleRule[] }
  | { type: "stop"; id: number }
  | { type: "close" };

/** To the serving thread. */
export type FromSweepWorker =
  | { type: "invalidate"; event: Invalidation }
  | { type: "done"; id: number; report: Awaited<ReturnType<LifecycleService["sweep"]>> }
  | { type: "failed"; id: number; error: unknown };

const port = parentPort;
if (!port) throw new Error("lifecycle-worker-thread runs only as a worker thread");
const data = workerData as SweepWorkerData;
const post = (message: FromSweepWorker): void => port.postMessage(message);

/** The thread's side of the bus: what it changes, it announces to the serving thread. */
const announcer: InvalidationBus = {
  publish: (event) => post({ type: "invalidate", event }),
  subscribe: () => {},
  onReconnect: () => {},
  state: () => "LOCAL",
  close: async () => {},
};

const opened = openSqliteStore(data.file, { synchronous: data.synchronous, checkpointer: false }).then(
  (inner) => {
    const store = cachingStore(inner, {
      bus: announcer,
      clock: systemClock,
      counters: { hit: () => {}, miss: () => {} },
      ttlMs: 0,
      fallbackTtlMs: 0,
      maxEntries: 1,
    });
    const runtime = { store, clock: systemClock, random: systemRandom };
    return { store, lifecycle: new LifecycleService(runtime, data.policy, { batchSize: data.batchSize }) };
  },
);
/** Sweeps under way: how to stop each, and when it has ended. */
// A store that cannot be opened fails every sweep sent here (the serving thread then starts another).
opened.catch(() => {});
const running = new Map<number, { stop: AbortController; ended: Promise<void> }>();

port.on("message", (message: ToSweepWorker) => {
  if (message.type === "stop") {
    running.get(message.id)?.stop.abort();
  } else if (message.type === "sweep") {
    const stop = new AbortController();
    const ended = opened
      .then(({ lifecycle }) =>
        lifecycle.sweep({
          asOf: message.asOf,
          signal: stop.signal,
          ...(message.rules ? { rules: message.rules } : {}),
        }),
      )
      .then(
        (report) => post({ type: "done", id: message.id, report }),
        (error: unknown) => post({ type: "failed", id: message.id, error }),
      )
      .finally(() => running.delete(message.id));
    running.set(message.id, { stop, ended });
  } else {
    // A sweep still running stops after its batch; the connection closes only once none is left.
    const sweeps = [...running.values()];
    for (const sweep of sweeps) sweep.stop.abort();
    void Promise.allSettled(sweeps.map((sweep) => sweep.ended))
      .then(() => opened)
      .then(({ store }) => store.close())
      .catch(() => {})
      .finally(() => port.close());
  }
});
