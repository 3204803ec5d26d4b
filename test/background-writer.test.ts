import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { seedStore } from "../bench/seed-store.ts";
import { backgroundWriter } from "../src/background-writer.ts";
import { loadConfig } from "../src/config.ts";
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

function storeFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "background-writer-"));
  dirs.push(dir);
  return join(dir, "store.sqlite");
}

/** A SQLite store of `credentials` over `accounts`, `due` of them due for one lifecycle rule each. */
async function seeded(counts: { credentials: number; accounts: number; due: number; keys: number }) {
  const file = storeFile();
  const now = new Date();
  const manifest = await seedStore(sqlite(file), {
    ...counts,
    largeAccount: 0,
    brand: "klarna",
    pepper: PEPPER,
    now,
  });
  return { file, now, manifest };
}

describe("sweeps and last-use writes on a thread of their own (SQLite)", () => {
  it("applies every due transition through its own connection and announces each changed credential", async () => {
    const { file, now, manifest } = await seeded({ credentials: 600, accounts: 6, due: 240, keys: 0 });
    const announced: Invalidation[] = [];
    const worker = backgroundWriter(sqlite(file), {
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
        expect(new Set(announced.map((e) => (e.kind === "credential" ? e.lookupId : e.kind)))).toEqual(
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

  it("writes last-use records through its own connection, and takes no work once closed", async () => {
    const { file, now, manifest } = await seeded({ credentials: 50, accounts: 2, due: 0, keys: 10 });
    const db = new SQLite(file, { readonly: true });
    const picked = db
      .prepare("select credential_id, account_id from credentials where status = 'ACTIVE' limit 10")
      .all() as { credential_id: string; account_id: string }[];
    const ids = picked.map((row) => row.credential_id);
    const usedAt = new Date(now.getTime() + 60_000);
    const announced: Invalidation[] = [];
    const worker = backgroundWriter(sqlite(file), {
      policy,
      batchSize: 10,
      clock: { now: () => now },
      publish: (event) => announced.push(event),
    });
    try {
      await worker.recordCredentialUses(
        picked.map((row) => ({
          credentialId: row.credential_id,
          accountId: row.account_id,
          usedAt,
          sourceIp: "192.0.2.7",
        })),
      );
      // The lists of the keys' accounts show the new last uses: announced, once per account.
      expect(announced).toEqual([
        { kind: "credential-lists", accountIds: [...new Set(picked.map((row) => row.account_id))] },
      ]);
      const rows = db
        .prepare(
          `select last_used_at, last_used_ip from credentials where credential_id in (${ids.map(() => "?").join(",")})`,
        )
        .all(...ids) as { last_used_at: string; last_used_ip: string }[];
      expect(rows).toHaveLength(10);
      for (const row of rows)
        expect(row).toEqual({ last_used_at: usedAt.toISOString(), last_used_ip: "192.0.2.7" });
      expect(manifest.keys).toHaveLength(10);
    } finally {
      db.close();
      await worker.close();
    }
    await expect(worker.recordCredentialUses([])).rejects.toThrow(/closed/);
    await expect(worker.sweep()).rejects.toThrow(/closed/);
  });

  it("leaves no listener on a signal that outlives its sweeps", async () => {
    const { file, now } = await seeded({ credentials: 50, accounts: 2, due: 0, keys: 0 });
    const worker = backgroundWriter(sqlite(file), {
      policy,
      batchSize: 10,
      clock: { now: () => now },
      publish: () => {},
    });
    const jobs = new AbortController();
    const added = vi.spyOn(jobs.signal, "addEventListener");
    const removed = vi.spyOn(jobs.signal, "removeEventListener");
    try {
      for (let i = 0; i < 3; i++) await worker.sweep({ signal: jobs.signal });
      expect(added.mock.calls.map(([type]) => type)).toEqual(["abort", "abort", "abort"]);
      expect(removed.mock.calls.map(([type]) => type)).toEqual(["abort", "abort", "abort"]);
    } finally {
      await worker.close();
    }
  });

  it("a sweep whose signal is already aborted makes no transition", async () => {
    const { file, now } = await seeded({ credentials: 100, accounts: 2, due: 40, keys: 0 });
    const worker = backgroundWriter(sqlite(file), {
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
    const file = storeFile();
    // A directory where the database file should be: the thread cannot open it.
    mkdirSync(file);
    const worker = backgroundWriter(sqlite(file), {
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
