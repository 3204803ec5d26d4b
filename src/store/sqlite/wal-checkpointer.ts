import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type SQLite from "better-sqlite3";

/**
 * Runs in the worker: its own connection to the file, checkpointing when asked. PASSIVE never
 * waits for readers or writers; whatever it cannot copy now, the next checkpoint copies.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 0");
parentPort.on("message", (message) => {
  if (message === "close") {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // Busy or locked: the next round tries again.
  }
});
`;

/** Pages the writing connection lets the WAL reach before it checkpoints itself (the fallback). */
const FALLBACK_PAGES = 20_000;

/**
 * Moves WAL checkpoints off the event loop. A checkpoint copies every page written since the last
 * one back into the database file and syncs it; done by the writing connection (SQLite's default,
 * at every 1,000 pages) it stalls the commit that crosses the mark, and the whole process with it,
 * for as long as the disk takes. Here a worker thread with its own connection checkpoints every
 * `intervalMs`; the writing connection only does so itself if the WAL grows past the fallback.
 * `stop` closes the worker's connection (after the writing one is closed, so the last one out
 * checkpoints and removes the WAL).
 */
export function startWalCheckpointer(
  database: SQLite.Database,
  file: string,
  intervalMs = 500,
): { stop(): Promise<void> } {
  database.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver: fileURLToPath(import.meta.resolve("better-sqlite3")) },
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("error", () => {
    // Without the worker, the writing connection's own (fallback) checkpoints keep the WAL bounded.
    if (database.open) database.pragma("wal_autocheckpoint = 1000");
  });
  const timer = setInterval(() => worker.postMessage("checkpoint"), intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      // Referenced again, so that waiting for it keeps the process up.
      worker.ref();
      worker.postMessage("close");
      await exited;
    },
  };
}
