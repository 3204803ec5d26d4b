import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_ACCOUNT_SECURITY } from "../src/domain/types.ts";
import { MIGRATION_NAMES } from "../src/store/kysely/migrations.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { storeContract } from "./store-contract/index.ts";

const tempDirs: string[] = [];

function freshDatabaseFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "partner-credentials-store-"));
  tempDirs.push(dir);
  return join(dir, "store.db");
}

// Runs after the contract's own afterEach (inner hooks first), so the store is closed by then.
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

storeContract("SQLite store", () => openSqliteStore(freshDatabaseFile()));

describe("SQLite store file", () => {
  it("syncs every commit (synchronous = FULL) unless told NORMAL", async () => {
    const pragma = vi.spyOn(SQLite.prototype, "pragma");
    try {
      const full = await openSqliteStore(freshDatabaseFile());
      await full.close();
      expect(pragma.mock.calls.map((c) => c[0])).toContain("synchronous = FULL");
      pragma.mockClear();
      const normal = await openSqliteStore(freshDatabaseFile(), { synchronous: "NORMAL" });
      await normal.close();
      expect(pragma.mock.calls.map((c) => c[0])).toContain("synchronous = NORMAL");
    } finally {
      pragma.mockRestore();
    }
  });

  it("uses WAL journal mode and migrates an existing file idempotently", async () => {
    const file = freshDatabaseFile();
    const account = {
      accountId: "krn:partner:global:account:live:ABCD0001",
      name: "Acme Acquiring",
      kind: "ACQUIRING_PARTNER" as const,
      environment: "LIVE" as const,
      parentAccountId: null,
      partnerAccountReference: null,
      createdAt: new Date("2026-03-01T12:00:00.000Z"),
      createdBy: "operator",
      security: DEFAULT_ACCOUNT_SECURITY,
      suspension: null,
    };

    const first = await openSqliteStore(file);
    try {
      await first.createAccount({
        account,
        link: null,
        audit: [
          {
            eventId: "0190a1b2-eeee-7000-a000-000000000001",
            accountId: account.accountId,
            action: "account.created",
            actor: "operator",
            targetType: "ACCOUNT",
            targetId: account.accountId,
            sourceIp: null,
            statusBefore: null,
            statusAfter: null,
            reason: null,
            occurredAt: account.createdAt,
          },
        ],
      });
    } finally {
      await first.close();
    }

    const raw = new SQLite(file, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      raw.close();
    }

    const second = await openSqliteStore(file);
    try {
      expect(await second.findAccount(account.accountId)).toEqual(account);
      expect(await second.listAccounts({ after: null, limit: 10 })).toEqual([account]);
    } finally {
      await second.close();
    }

    const third = await openSqliteStore(file);
    await third.close();

    const check = new SQLite(file, { readonly: true });
    try {
      const applied = check.prepare("select name from kysely_migration order by name").pluck().all();
      expect(applied).toEqual([...MIGRATION_NAMES]);
    } finally {
      check.close();
    }
  });
});
