import { Worker } from "node:worker_threads";
import type { Config } from "./config.ts";
import type { Clock } from "./domain/runtime.ts";
import type { FromSweepWorker, SweepWorkerData, ToSweepWorker } from "./lifecycle-worker-thread.ts";
import type { SweepReport } from "./services/lifecycle.ts";
import type { Sweeper, SweepOptions } from "./services/lifecycle-jobs.ts";
import type { Invalidation } from "./store/invalidation-bus.ts";

/**
 * Compiled, the thread is the sibling .js file. Under tsx (development, tests) it is the .ts
 * source, which a new thread can only load once tsx's loader is registered in it.
 */
const COMPILED = !import.meta.url.endsWith(".ts");
const THREAD = new URL(
  COMPILED ? "./lifecycle-worker-thread.js" : "./lifecycle-worker-thread.ts",
  import.meta.url,
);
const THREAD_UNDER_TSX = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(THREAD.href)}); });`;

export interface SweepWorker extends Sweeper {
  /** Ends the thread (after any sweep it is running) and its connection. */
  close(): Promise<void>;
}

/**
 * The lifecycle sweep of a SQLite store on a worker thread with its own connection. better-sqlite3
 * runs every statement on the calling thread, and a sweep batch (its reads, its guarded update, its
 * audit events and the synced commit) held the event loop for tens of milliseconds, seconds in all
 * for 10,000 transitions; on its own thread it holds none of it, and requests that only read are
 * answered meanwhile (WAL readers never wait for the writer). A request that writes waits for the
 * batch under way, as it would for any other writer.
 *
 * The thread starts with the first sweep. Each sweep is taken as of the serving thread's clock;
 * every credential it changes comes back as an invalidation, handed to `publish` (the bus), and
 * the report comes back when it ends. Aborting a sweep's signal stops it after its current batch.
 */
export function sweepWorker(
  database: Extract<Config["database"], { kind: "sqlite" }>,
  options: {
    policy: Config["lifecycle"];
    batchSize: number;
    clock: Clock;
    publish: (event: Invalidation) => void;
  },
): SweepWorker {
  let current: SweepThread | null = null;
  let nextId = 0;
  const data: SweepWorkerData = {
    file: database.file,
    synchronous: database.synchronous,
    policy: { ...options.policy },
    batchSize: options.batchSize,
  };

  return {
    sweep(sweep: SweepOptions = {}): Promise<SweepReport> {
      const asOf = options.clock.now();
      // As the service itself: a sweep stopped before it began makes no transition.
      if (sweep.signal?.aborted) return Promise.resolve({ asOf, dryRun: false, transitions: [] });
      if (!current?.usable) current = new SweepThread(data, options.publish);
      const thread = current;
      const id = nextId++;
      const done = thread.run({ type: "sweep", id, asOf, ...(sweep.rules ? { rules: sweep.rules } : {}) });
      sweep.signal?.addEventListener("abort", () => thread.post({ type: "stop", id }), { once: true });
      return done;
    },
    async close() {
      const thread = current;
      current = null;
      await thread?.close();
    },
  };
}

/**
 * One thread and the sweeps it runs. A sweep that fails retires the thread: the next sweep starts a
 * new one (a thread that could not open its store, or whose connection broke, is never reused), and
 * the retired one is closed once its last sweep has answered.
 */
class SweepThread {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  readonly #pending = new Map<number, { resolve(report: SweepReport): void; reject(error: unknown): void }>();
  #retired = false;

  constructor(data: SweepWorkerData, publish: (event: Invalidation) => void) {
    this.#worker = COMPILED
      ? new Worker(THREAD, { workerData: data })
      : new Worker(THREAD_UNDER_TSX, { eval: true, workerData: data });
    this.#exited = new Promise((resolve) => this.#worker.once("exit", () => resolve()));
    this.#worker.on("message", (message: FromSweepWorker) => {
      if (message.type === "invalidate") {
        publish(message.event);
        return;
      }
      const waiting = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.type === "done") waiting?.resolve(message.report);
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
    this.#worker.on("exit", (code) => lost(new Error(`the lifecycle sweep thread exited (code ${code})`)));
  }

  /** Whether new sweeps may go to this thread. */
  get usable(): boolean {
    return !this.#retired;
  }

  run(message: Extract<ToSweepWorker, { type: "sweep" }>): Promise<SweepReport> {
    const done = new Promise<SweepReport>((resolve, reject) =>
      this.#pending.set(message.id, { resolve, reject }),
    );
    // While a sweep runs, the thread keeps the process up; idle, it does not.
    this.#worker.ref();
    this.post(message);
    return done;
  }

  post(message: ToSweepWorker): void {
    this.#worker.postMessage(message);
  }

  /** Ends the thread once the sweeps it runs have answered (each stops after its batch). */
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
