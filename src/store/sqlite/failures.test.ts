import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StoreTimeoutError, StoreUnavailableError } from "../errors.ts";
import { sqliteFailure } from "./failures.ts";
import { openSqliteStore } from "./sqlite-store.ts";
import { withStatementCache } from "./statement-cache.ts";

const cleanup: (() => void | Promise<void>)[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const step of cleanup.splice(0).reverse()) await step();
});

function databaseFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "sqlite-failures-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "store.db");
}

/** Another connection to the file holding its write lock until the test ends. */
function holdWriteLock(file: string): void {
  const other = new SQLite(file);
  other.exec("begin immediate");
  cleanup.push(() => {
    other.exec("rollback");
    other.close();
  });
}

describe("SQLite failures at the store's boundary", () => {
  it("a write while another connection holds the lock past busy_timeout is a StoreTimeoutError", async () => {
    // The store waits 5 s for a lock; the test shortens that wait, nothing else.
    const pragma = SQLite.prototype.pragma;
    vi.spyOn(SQLite.prototype, "pragma").mockImplementation(function (
      this: SQLite.Database,
      source: string,
      options?: SQLite.PragmaOptions,
    ) {
      return pragma.call(this, source.startsWith("busy_timeout") ? "busy_timeout = 20" : source, options);
    });
    const file = databaseFile();
    const store = await openSqliteStore(file);
    cleanup.push(() => store.close());
    holdWriteLock(file);

    const failure = await store
      .insertAuditEvent({
        eventId: "evt_busy",
        accountId: "krn:partner:test:account:busy",
        action: "account.created",
        actor: "admin",
        targetType: "ACCOUNT",
        targetId: "krn:partner:test:account:busy",
        sourceIp: null,
        statusBefore: null,
        statusAfter: null,
        reason: null,
        occurredAt: new Date(),
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(StoreTimeoutError);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).cause).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
  });

  it("translates in every statement Kysely runs, and lets other errors through unchanged", async () => {
    const file = databaseFile();
    const database = new SQLite(file);
    database.pragma("journal_mode = WAL");
    database.pragma("busy_timeout = 0");
    const db = new Kysely<Record<string, never>>({
      dialect: new SqliteDialect({ database: withStatementCache(database) }),
    });
    cleanup.push(() => db.destroy());
    await sql`create table things (id integer primary key)`.execute(db);
    await sql`insert into things (id) values (1)`.execute(db);

    const duplicate = await sql`insert into things (id) values (1)`.execute(db).catch((e: unknown) => e);
    expect(duplicate).not.toBeInstanceOf(StoreUnavailableError);
    expect(duplicate).toMatchObject({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" });

    holdWriteLock(file);
    await expect(sql`insert into things (id) values (2)`.execute(db)).rejects.toBeInstanceOf(
      StoreTimeoutError,
    );
    await expect(
      db.transaction().execute((trx) => sql`insert into things (id) values (3)`.execute(trx)),
    ).rejects.toBeInstanceOf(StoreTimeoutError);
    // Reads go on: a writer elsewhere does not block them in WAL mode.
    await expect(sql`select count(*) as n from things`.execute(db)).resolves.toMatchObject({
      rows: [{ n: 1 }],
    });
  });

  it("classifies SQLite's busy codes as timeouts and nothing else", () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    for (const code of [
      "SQLITE_BUSY",
      "SQLITE_BUSY_SNAPSHOT",
      "SQLITE_BUSY_RECOVERY",
      "SQLITE_BUSY_TIMEOUT",
    ]) {
      const error = withCode(code);
      const translated = sqliteFailure(error);
      expect(translated, code).toBeInstanceOf(StoreTimeoutError);
      expect((translated as Error).cause).toBe(error);
    }
    for (const code of ["SQLITE_BUSYNESS", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_FULL", "SQLITE_LOCKED"]) {
      const error = withCode(code);
      expect(sqliteFailure(error), code).toBe(error);
    }
    expect(sqliteFailure("not an error")).toBe("not an error");
  });
});
