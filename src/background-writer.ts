import { Worker } from "node:worker_threads";
import type { FromWriterThread, ToWriterThread, WriterThreadData } from "./background-writer-thread.ts";
import type { Config } from "./config.ts";
import type { Clock } from "./domain/runtime.ts";
import type { SweepReport } from "./services/lifecycle.ts";
import type { Sweeper, SweepOptions } from "./services/lifecycle-jobs.ts";
import type { UsageWriter } from "./services/usage-recorder.ts";
import type { AddressSighting } from "./store/addresses-seen-port.ts";
import type { Invalidation } from "./store/invalidation-bus.ts";
import type { CredentialUse } from "./store/port.ts";

/**
 * Compiled, the thread is the sibling .js file. Under tsx (development, tests) it is the .ts
 * source, which a new thread can only load once tsx's loader is registered in it.
 */
const COMPILED = !import.meta.url.endsWith(".ts");
const THREAD = new URL(
  COMPILED ? "./background-writer-thread.js" : "./background-writer-thread.ts",
  import.meta.url,
);
const THREAD_UNDER_TSX = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD.href)}); });`;

export interface BackgroundWriter extends Sweeper, UsageWriter {
  /** Ends the thread (after what it is doing: a sweep stops after its batch) and its connection. */
  close(): Promise<void>;
}

/**
 * The background writes of a SQLite store (lifecycle sweeps, last-use records, and the addresses
 * seen with their purge) on a worker
 * thread with its own connection. better-sqlite3 runs every statement on the calling thread: a sweep
 * batch (its reads, its guarded update, its audit events and the synced commit) or a slice of
 * last-use updates held the event loop for tens of milliseconds, seconds in all for 10,000
 * transitions. On their own thread they hold none of it: requests that only read are answered
 * meanwhile (WAL readers never wait for the writer), and a request that writes waits at most for
 * the transaction under way, as it would for any other writer.
 *
 * The thread starts with the first piece of work. Each sweep is taken as of the serving thread's
 * clock; every credential it changes comes back as an invalidation, handed to `publish` (the bus),
 * and its report comes back when it ends. Aborting a sweep's signal stops it after its current
 * batch. Once closed, it takes no more work.
 */
export function backgroundWriter(
  database: Extract<Config["database"], { kind: "sqlite" }>,
  options: {
    policy: Config["lifecycle"];
    batchSize: number;
    clock: Clock;
    publish: (event: Invalidation) => void;
  },
): BackgroundWriter {
  let current: WriterThread | null = null;
  let closed = false;
  let nextId = 0;
  const data: WriterThreadData = {
    file: database.file,
    synchronous: database.synchronous,
    policy: { ...options.policy },
    batchSize: options.batchSize,
  };
  const thread = (): WriterThread => {
    if (closed) throw new Error("the background writer is closed");
    if (!current?.usable) current = new WriterThread(data, options.publish);
    return current;
  };

  return {
    async sweep(sweep: SweepOptions = {}): Promise<SweepReport> {
      const asOf = options.clock.now();
      // As the service itself: a sweep stopped before it began makes no transition.
      if (sweep.signal?.aborted) return { asOf, dryRun: false, transitions: [] };
      const writer = thread();
      const id = nextId++;
      const done = writer.run({ type: "sweep", id, asOf, ...(sweep.rules ? { rules: sweep.rules } : {}) });
      // The jobs' signal outlives every sweep: the listener goes with the sweep it stops.
      const stop = (): void => writer.post({ type: "stop", id });
      sweep.signal?.addEventListener("abort", stop, { once: true });
      try {
        return (await done) as SweepReport;
      } finally {
        sweep.signal?.removeEventListener("abort", stop);
      }
    },
    async recordCredentialUses(uses: CredentialUse[]): Promise<void> {
      await thread().run({ type: "record", id: nextId++, uses });
    },
    async recordAddressesSeen(sightings: readonly AddressSighting[]): Promise<void> {
      await thread().run({ type: "addresses", id: nextId++, sightings: [...sightings] });
    },
    async pruneAddressesSeen(input: { seenBefore: Date; keepPerAccount: number }): Promise<number> {
      return (await thread().run({ type: "prune-addresses", id: nextId++, ...input })) as number;
    },
    async close() {
      closed = true;
      const writer = current;
      current = null;
      await writer?.close();
    },
  };
}

/**
 * One thread and the work it runs. A piece of work that fails retires the thread: the next one
 * starts a new thread (one that could not open its store, or whose connection broke, is never
 * reused), and the retired one is closed once its last piece of work has answered.
 */
class WriterThread {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  readonly #pending = new Map<
    number,
    { resolve(result: SweepReport | number | undefined): void; reject(error: unknown): void }
  >();
  #retired = false;

  constructor(data: WriterThreadData, publish: (event: Invalidation) => void) {
    this.#worker = COMPILED
      ? new Worker(THREAD, { workerData: data })
      : new Worker(THREAD_UNDER_TSX, { eval: true, workerData: data });
    this.#exited = new Promise((resolve) => this.#worker.once("exit", () => resolve()));
    this.#worker.on("message", (message: FromWriterThread) => {
      if (message.type === "invalidate") {
        for (const event of message.events) publish(event);
        return;
      }
      const waiting = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.type === "done") waiting?.resolve(message.count ?? message.report);
      else {
        this.#retired = true;
        waiting?.reject(message.error);
      }
      this.#settled();
    });
    const lost = (error: unknown): void => {
      this.#retired = true;
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", lost);
    this.#worker.on("exit", (code) =>
      lost(new Error(`the background writer's thread exited (code ${code})`)),
    );
  }

  /** Whether new work may go to this thread. */
  get usable(): boolean {
    return !this.#retired;
  }

  run(
    message: Extract<ToWriterThread, { type: "sweep" | "record" | "addresses" | "prune-addresses" }>,
  ): Promise<SweepReport | number | undefined> {
    const done = new Promise<SweepReport | number | undefined>((resolve, reject) =>
      this.#pending.set(message.id, { resolve, reject }),
    );
    // While it works, the thread keeps the process up; idle, it does not.
    this.#worker.ref();
    this.post(message);
    return done;
  }

  post(message: ToWriterThread): void {
    this.#worker.postMessage(message);
  }

  /** Ends the thread once the work it runs has answered. */
  async close(): Promise<void> {
    this.#retired = true;
    this.#worker.ref();
    this.post({ type: "close" });
    await this.#exited;
  }

  #settled(): void {
    if (this.#pending.size > 0) return;
    if (this.#retired) void this.close();
    else this.#worker.unref();
  }
}
