/**
 * The thread of the background writes (see background-writer.ts): its own connection to the SQLite
 * file, a LifecycleService over it, the last-use writes and those of the addresses seen. It takes
 * `sweep`, `stop`, `record`, `addresses`, `prune-addresses` and `close` messages and answers each
 * sweep with its report, each prune with its count, and each record with `done`; every
 * credential a sweep changes is posted back as an invalidation, which the serving thread publishes
 * on its bus as if it had made the change itself.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { LifecyclePolicy } from "./domain/lifecycle-policy.ts";
import type { LifecycleRule } from "./domain/lifecycle-rules.ts";
import { LifecycleService, type SweepReport } from "./services/lifecycle.ts";
import type { AddressSighting } from "./store/addresses-seen-port.ts";
import { cachingStore } from "./store/caching-store.ts";
import type { Invalidation, InvalidationBus } from "./store/invalidation-bus.ts";
import type { CredentialUse } from "./store/port.ts";
import { openSqliteStore, type SqliteSynchronous } from "./store/sqlite/sqlite-store.ts";
import { systemClock, systemRandom } from "./system.ts";

export interface WriterThreadData {
  file: string;
  synchronous: SqliteSynchronous;
  policy: LifecyclePolicy;
  batchSize: number;
}

/** From the serving thread. */
export type ToWriterThread =
  | { type: "sweep"; id: number; asOf: Date; rules?: readonly LifecycleRule[] }
  | { type: "stop"; id: number }
  | { type: "record"; id: number; uses: CredentialUse[] }
  | { type: "addresses"; id: number; sightings: AddressSighting[] }
  | { type: "prune-addresses"; id: number; seenBefore: Date; keepPerAccount: number }
  | { type: "close" };

/** To the serving thread. */
export type FromWriterThread =
  | { type: "invalidate"; events: Invalidation[] }
  | { type: "done"; id: number; report?: SweepReport; count?: number }
  | { type: "failed"; id: number; error: unknown };

const port = parentPort;
if (!port) throw new Error("background-writer-thread runs only as a worker thread");
const data = workerData as WriterThreadData;

/**
 * Invalidations go out together, one message per turn of this thread's event loop (a batch of a
 * sweep announces up to a hundred credentials): the serving thread handles one message, not one
 * per credential. Pending ones always go out before the answer to the work that made them.
 */
let announced: Invalidation[] = [];
function sendAnnounced(): void {
  if (announced.length === 0) return;
  port?.postMessage({ type: "invalidate", events: announced } satisfies FromWriterThread);
  announced = [];
}
const post = (message: FromWriterThread): void => {
  sendAnnounced();
  port.postMessage(message);
};

/** The thread's side of the bus: what it changes, it announces to the serving thread. */
const announcer: InvalidationBus = {
  publish: (event) => {
    if (announced.length === 0) setImmediate(sendAnnounced);
    announced.push(event);
  },
  subscribe: () => {},
  onReconnect: () => {},
  state: () => "LOCAL",
  close: async () => {},
};

const opened = openSqliteStore(data.file, { synchronous: data.synchronous, checkpointer: false }).then(
  (inner) => {
    // Only its announcements are wanted: nothing here is read through the cache.
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
// A store that cannot be opened fails every message sent here (the serving thread then starts another).
opened.catch(() => {});

/** Work under way: how to stop it (sweeps), and when it has ended. */
const running = new Map<number, { stop: AbortController; ended: Promise<void> }>();

function track(id: number, stop: AbortController, work: Promise<SweepReport | number | undefined>): void {
  const ended = work
    .then(
      (result) =>
        post(
          typeof result === "number"
            ? { type: "done", id, count: result }
            : result
              ? { type: "done", id, report: result }
              : { type: "done", id },
        ),
      (error: unknown) => post({ type: "failed", id, error }),
    )
    .finally(() => running.delete(id));
  running.set(id, { stop, ended });
}

port.on("message", (message: ToWriterThread) => {
  switch (message.type) {
    case "stop":
      running.get(message.id)?.stop.abort();
      return;
    case "sweep": {
      const stop = new AbortController();
      const { asOf, rules } = message;
      const sweep = opened.then(({ lifecycle }) =>
        lifecycle.sweep({ asOf, signal: stop.signal, ...(rules ? { rules } : {}) }),
      );
      track(message.id, stop, sweep);
      return;
    }
    case "record": {
      const write = opened
        .then(({ store }) => store.recordCredentialUses(message.uses))
        .then(() => undefined);
      track(message.id, new AbortController(), write);
      return;
    }
    case "addresses": {
      const write = opened
        .then(({ store }) => store.recordAddressesSeen(message.sightings))
        .then(() => undefined);
      track(message.id, new AbortController(), write);
      return;
    }
    case "prune-addresses": {
      const { seenBefore, keepPerAccount } = message;
      const prune = opened.then(({ store }) => store.pruneAddressesSeen({ seenBefore, keepPerAccount }));
      track(message.id, new AbortController(), prune);
      return;
    }
    case "close": {
      // Sweeps stop after their batch, writes finish; the connection closes only once none is left.
      const work = [...running.values()];
      for (const w of work) w.stop.abort();
      void Promise.allSettled(work.map((w) => w.ended))
        .then(() => opened)
        .then(({ store }) => store.close())
        .catch(() => {})
        .finally(() => port.close());
    }
  }
});
