import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { seedStore } from "../bench/seed-store.ts";
import { loadConfig } from "../src/config.ts";
import { sweepWorker } from "../src/lifecycle-worker.ts";
import type { Invalidation } from "../src/store/invalidation-bus.ts";
import { PEPPER } from "./harness.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const { lifecycle: policy } = loadConfig({ DATA_DIR: tmpdir() });

function sqlite(file: string) {
  return { kind: "sqlite" as const, file, synchronous: "FULL" as const };
}

describe("the lifecycle sweep on its own thread (SQLite)", () => {
  it("applies every due transition through its own connection and announces each changed credential", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-worker-"));
    dirs.push(dir);
    const file = join(dir, "store.sqlite");
    const now = new Date();
    const manifest = await seedStore(sqlite(file), {
      credentials: 600,
      accounts: 6,
      due: 240,
      keys: 0,
      largeAccount: 0,
      brand: "klarna",
      pepper: PEPPER,
      now,
    });
    const announced: Invalidation[] = [];
    const worker = sweepWorker(sqlite(file), {
      policy,
      batchSize: 50,
      clock: { now: () => now },
      publish: (event) => announced.push(event),
    });
    try {
      const report = await worker.sweep();
      // Every credential of the due pool is due for exactly one rule.
      expect(report.transitions).toHaveLength(240);
      expect(report.asOf).toEqual(now);
      expect(new Set(report.transitions.map((t) => t.credentialId))).toEqual(new Set(manifest.duePool));
      const db = new SQLite(file, { readonly: true });
      try {
        const lookupIds = db
          .prepare(
            `select lookup_id from credentials where credential_id in (${manifest.duePool.map(() => "?").join(",")})`,
          )
          .pluck()
          .all(...manifest.duePool);
        expect(new Set(announced.map((e) => (e.kind === "credential" ? e.lookupId : e.accountId)))).toEqual(
          new Set(lookupIds),
        );
        const events = db.prepare("select count(*) from audit_events where actor = 'system'").pluck().get();
        expect(events).toBe(240);
      } finally {
        db.close();
      }
      // Nothing is due any more: a second sweep finds nothing.
      expect((await worker.sweep()).transitions).toHaveLength(0);
    } finally {
      await worker.close();
    }
  });

  it("a sweep whose signal is already aborted makes no transition", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-worker-"));
    dirs.push(dir);
    const file = join(dir, "store.sqlite");
    const now = new Date();
    await seedStore(sqlite(file), {
      credentials: 100,
      accounts: 2,
      due: 40,
      keys: 0,
      largeAccount: 0,
      brand: "klarna",
      pepper: PEPPER,
      now,
    });
    const worker = sweepWorker(sqlite(file), {
      policy,
      batchSize: 10,
      clock: { now: () => now },
      publish: () => {},
    });
    try {
      const stopped = new AbortController();
      stopped.abort();
      expect((await worker.sweep({ signal: stopped.signal })).transitions).toHaveLength(0);
      expect((await worker.sweep()).transitions).toHaveLength(40);
    } finally {
      await worker.close();
    }
  });

  it("a thread that cannot open its store fails the sweep, and the next sweep starts a new thread", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-worker-"));
    dirs.push(dir);
    const file = join(dir, "not-yet");
    // A directory where the database file should be: the thread cannot open it.
    mkdirSync(file);
    const worker = sweepWorker(sqlite(file), {
      policy,
      batchSize: 10,
      clock: { now: () => new Date() },
      publish: () => {},
    });
    try {
      await expect(worker.sweep()).rejects.toThrow();
      rmSync(file, { recursive: true });
      const report = await worker.sweep();
      expect(report.transitions).toHaveLength(0);
    } finally {
      await worker.close();
    }
  });
});
