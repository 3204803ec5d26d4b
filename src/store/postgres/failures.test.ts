import { createServer } from "node:net";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../../../test/postgres.ts";
import { StoreTimeoutError, StoreUnavailableError } from "../errors.ts";
import { postgresFailure } from "./failures.ts";
import { withNamedStatements } from "./named-statements.ts";
import { openPostgresStore } from "./postgres-store.ts";

const cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

/** Kysely over the store's own pool wrapper, on one connection of the test database. */
function database(
  options: { statementTimeoutMs?: number; queryTimeoutMs?: number } = {},
): Kysely<Record<string, never>> {
  const pool = new pg.Pool({
    connectionString: TEST_DATABASE_URL,
    max: 1,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    ...(options.statementTimeoutMs ? { options: `-c statement_timeout=${options.statementTimeoutMs}` } : {}),
  });
  pool.on("error", () => undefined);
  const db = new Kysely<Record<string, never>>({
    dialect: new PostgresDialect({ pool: withNamedStatements(pool) }),
  });
  cleanup.push(() => db.destroy());
  return db;
}

describe("PostgreSQL failures at the store's boundary", () => {
  it("opening a store on a port where nothing listens is a StoreUnavailableError", async () => {
    const port = await closedPort();
    const failure = await rejection(openPostgresStore(`postgres://root@127.0.0.1:${port}/test`));
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(failure).not.toBeInstanceOf(StoreTimeoutError);
    expect((failure as Error).cause).toMatchObject({ code: "ECONNREFUSED" });
  });

  it("classifies pg's and the server's failures, and lets every other error through", () => {
    const failure = (code: string | undefined, message = "failed") =>
      postgresFailure(Object.assign(new Error(message), code ? { code } : {}));
    for (const code of ["ECONNREFUSED", "ECONNRESET", "EPIPE", "53300", "40P01", "57P01", "57P03", "08006"]) {
      const translated = failure(code);
      expect(translated, code).toBeInstanceOf(StoreUnavailableError);
      expect(translated, code).not.toBeInstanceOf(StoreTimeoutError);
    }
    for (const code of ["ETIMEDOUT", "57014"]) expect(failure(code), code).toBeInstanceOf(StoreTimeoutError);
    for (const message of [
      "Connection terminated unexpectedly",
      "Client has encountered a connection error and is not queryable",
    ]) {
      const translated = failure(undefined, message);
      expect(translated, message).toBeInstanceOf(StoreUnavailableError);
      expect(translated, message).not.toBeInstanceOf(StoreTimeoutError);
    }
    for (const message of [
      "timeout exceeded when trying to connect",
      "Connection terminated due to connection timeout",
      "Query read timeout",
    ]) {
      expect(failure(undefined, message), message).toBeInstanceOf(StoreTimeoutError);
    }
    for (const code of ["23505", "22012", "42P01", "40001"]) {
      const error = Object.assign(new Error("failed"), { code });
      expect(postgresFailure(error), code).toBe(error);
    }
    const cause = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
    });
    expect((postgresFailure(cause) as Error).cause).toBe(cause);
  });

  describe.skipIf(!TEST_DATABASE_URL)("on a live server (TEST_DATABASE_URL)", () => {
    it("a statement cut short by statement_timeout is a StoreTimeoutError, also as a named statement", async () => {
      const db = database({ statementTimeoutMs: 50 });
      for (const statement of [sql`select pg_sleep(2)`, sql`select pg_sleep(${2})`]) {
        const failure = await rejection(statement.execute(db));
        expect(failure).toBeInstanceOf(StoreTimeoutError);
        expect((failure as Error).cause).toMatchObject({ code: "57014" });
      }
    });

    it("a connection the server ends mid-statement is a StoreUnavailableError", async () => {
      const db = database();
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      const pid = rows[0]?.pid;
      const running = rejection(sql`select pg_sleep(5)`.execute(db));
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      try {
        // Once the statement runs, end its backend as a restart or failover would.
        for (let i = 0; i < 50; i++) {
          const active = await admin.query(
            "select 1 from pg_stat_activity where pid = $1 and query like '%pg_sleep(5)%'",
            [pid],
          );
          if (active.rowCount) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await admin.query("select pg_terminate_backend($1)", [pid]);
      } finally {
        await admin.end();
      }
      const failure = await running;
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(failure).not.toBeInstanceOf(StoreTimeoutError);
      // The pool replaces the connection: the next statement works.
      await expect(sql`select 1 as one`.execute(db)).resolves.toMatchObject({ rows: [{ one: 1 }] });
    });

    it("a statement the client stops waiting for is a StoreTimeoutError, and its connection is not reused", async () => {
      const db = database({ queryTimeoutMs: 200 });
      const failure = await rejection(sql`select pg_sleep(3)`.execute(db));
      expect(failure).toBeInstanceOf(StoreTimeoutError);
      expect((failure as Error).cause).toMatchObject({ message: "Query read timeout" });
      // The old connection is still busy with the sleep: the next statement gets a new one at once.
      await expect(sql`select 1 as one`.execute(db)).resolves.toMatchObject({ rows: [{ one: 1 }] });
    });

    it("a connection lost between the statements of a transaction fails the next one, not the process", async () => {
      const db = database();
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      cleanup.push(() => admin.end());
      const failure = await rejection(
        db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          await admin.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
          for (let i = 0; i < 50; i++) {
            const left = await admin.query("select 1 from pg_stat_activity where pid = $1", [rows[0]?.pid]);
            if (!left.rowCount) break;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          // The connection's end reaches the client while no statement runs on it.
          await new Promise((resolve) => setTimeout(resolve, 100));
          await sql`select 1`.execute(trx);
        }),
      );
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      await expect(sql`select 1 as one`.execute(db)).resolves.toMatchObject({ rows: [{ one: 1 }] });
    });

    it("leaves errors of the statement itself as they are", async () => {
      const db = database();
      const failure = await rejection(sql`select 1 / 0`.execute(db));
      expect(failure).not.toBeInstanceOf(StoreUnavailableError);
      expect(failure).toMatchObject({ code: "22012" });
    });
  });
});
