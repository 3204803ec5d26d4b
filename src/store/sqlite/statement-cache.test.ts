import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { withStatementCache } from "./statement-cache.ts";

function database() {
  const raw = new SQLite(":memory:");
  raw.exec("create table t (id text primary key, n integer, note text)");
  raw.prepare("insert into t values (?, ?, ?)").run("a", 1, null);
  return { raw, cached: withStatementCache(raw) };
}

describe("the SQLite statement cache", () => {
  it("builds rows with every column, in order, whatever its value", () => {
    const { raw, cached } = database();
    try {
      const statement = cached.prepare("select id, n, note, n + 1 as next from t");
      expect(statement.all([])).toEqual([{ id: "a", n: 1, note: null, next: 2 }]);
      expect(cached.readNow("select * from t where id = ?", ["a"])).toEqual([{ id: "a", n: 1, note: null }]);
    } finally {
      raw.close();
    }
  });

  it("reads at once only outside a transaction: never what another one has not committed", () => {
    const { raw, cached } = database();
    try {
      raw.exec("begin");
      raw.prepare("insert into t values (?, ?, ?)").run("b", 2, "pending");
      // Inside the open transaction the direct read declines; the caller goes through Kysely,
      // which waits for the connection until the transaction ends.
      expect(cached.readNow("select id from t order by id", [])).toBeUndefined();
      raw.exec("rollback");
      expect(cached.readNow("select id from t order by id", [])).toEqual([{ id: "a" }]);
    } finally {
      raw.close();
    }
  });

  it("never runs a statement that writes directly", () => {
    const { raw, cached } = database();
    try {
      expect(cached.readNow("update t set n = 5", [])).toBeUndefined();
      expect(raw.prepare("select n from t").pluck().get()).toBe(1);
    } finally {
      raw.close();
    }
  });
});
