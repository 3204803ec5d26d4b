import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect } from "vitest";
import { seedStore } from "../bench/seed-store.ts";
import { verifyChain } from "../src/domain/audit-chain.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { it } from "./fixtures.ts";
import { ADMIN_TOKEN, DAY_MS, onboardAcquiringPartner, PEPPER } from "./harness.ts";
import { freePort, startServerProcess } from "./process.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("shutdown during a lifecycle sweep", () => {
  it("closing the service waits for a sweep held up in the store, and closes the store after it", async ({
    startHarness,
  }) => {
    const order: string[] = [];
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = (): void => undefined;
    const inSweep = new Promise<void>((resolve) => {
      entered = resolve;
    });
    // The real store; the sweep's disabling batch waits at the gate, and every call is recorded.
    const h = await startHarness(
      {},
      {
        wrapStore: (inner) =>
          new Proxy(inner, {
            get(target, property, receiver) {
              const value = Reflect.get(target, property, receiver);
              if (typeof value !== "function") return value;
              return async (...args: unknown[]) => {
                if (order.includes("close")) order.push(`after close: ${String(property)}`);
                if (property === "close") order.push("close");
                const input = args[0] as { rule?: string } | undefined;
                if (property === "applyLifecycleRule" && input?.rule === "INACTIVITY_DISABLE") {
                  order.push("batch held");
                  entered();
                  await gate;
                  const changed = await value.apply(target, args);
                  order.push("batch done");
                  return changed;
                }
                return value.apply(target, args);
              };
            },
          }),
      },
    );
    const partner = await onboardAcquiringPartner(h);
    h.startJobs();
    h.clock.advance(61 * DAY_MS);
    const sweep = h.ticker.fire("lifecycle-sweep");
    await inSweep;
    // As in production: the rotation check runs again while the full sweep is still running.
    await h.ticker.fire("rotation-check");
    const closed = h.close({ keepData: true });
    // The gate opens a moment later; without waiting for the sweep, close() would be long done.
    setTimeout(release, 200);
    await closed;
    await sweep;
    expect(order).toEqual(["batch held", "batch done", "close"]);
    expect(h.logs()).not.toMatch(/sweep failed|flush failed/);
    const store = await openSqliteStore(join(h.dataDir, "test.sqlite"));
    try {
      const chain = await store.readAuditChain(partner.accountId);
      expect(chain.at(-1)).toMatchObject({ action: "credential.disabled", targetId: partner.credentialId });
      expect(verifyChain(chain).intact).toBe(true);
    } finally {
      await store.close();
      rmSync(h.dataDir, { recursive: true, force: true });
    }
  });

  it("SIGTERM lets the sweep and the rotation check stop between batches, then closes the store", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sweep-shutdown-"));
    dirs.push(dir);
    const file = join(dir, "store.sqlite");
    // Every credential of the due pool is due for one rule: rotation ends (which the 1 s rotation
    // check also applies), inactivity warnings, disables and deletions.
    const manifest = await seedStore(
      { kind: "sqlite", file },
      {
        credentials: 8_000,
        accounts: 40,
        due: 6_000,
        keys: 0,
        largeAccount: 0,
        brand: "klarna",
        pepper: PEPPER,
        now: new Date(),
      },
    );
    const server = await startServerProcess({
      port: await freePort(),
      dataDir: dir,
      env: {
        DATABASE_URL: `sqlite:${file}`,
        PEPPER,
        ADMIN_TOKEN,
        TLS_PORT: "off",
        LIFECYCLE_SWEEP_INTERVAL: "PT1S",
        ROTATION_CHECK_INTERVAL: "PT1S",
      },
    });
    const reader = new SQLite(file, { readonly: true });
    const systemEvents = () =>
      (reader.prepare("select count(*) as n from audit_events where actor = 'system'").get() as { n: number })
        .n;
    try {
      // Signalled as soon as the sweeps have made their first transitions.
      while (systemEvents() === 0) await new Promise((r) => setTimeout(r, 5));
    } finally {
      reader.close();
    }
    const code = await server.stop();
    expect(server.output()).not.toMatch(/destroyed|sweep failed|shutdown failed|flush failed/);
    expect(code).toBe(0);

    const store = await openSqliteStore(file);
    const db = new SQLite(file, { readonly: true });
    try {
      const pool = new Set(manifest.duePool);
      const rows = db
        .prepare("select credential_id, status, inactivity_warned_at from credentials")
        .all() as { credential_id: string; status: string; inactivity_warned_at: string | null }[];
      // A credential was transitioned iff it left its due state (index 1 of every 4: the warning).
      const transitioned = new Set(
        manifest.duePool.filter((id, index) => {
          const row = rows.find((r) => r.credential_id === id);
          const due = ["ACTIVE", "ACTIVE", "ACTIVE", "DISABLED"][index % 4];
          return index % 4 === 1 ? row?.inactivity_warned_at !== null : row?.status !== due;
        }),
      );
      const events = db
        .prepare(
          "select target_id, count(*) as n from audit_events where actor = 'system' group by target_id",
        )
        .all() as { target_id: string; n: number }[];
      // One audit event per transition, none for a credential left as it was, none outside the pool.
      expect(events.every((e) => e.n === 1 && pool.has(e.target_id))).toBe(true);
      expect(new Set(events.map((e) => e.target_id))).toEqual(transitioned);
      expect(transitioned.size).toBeGreaterThan(0);
      const accounts = db.prepare("select account_id from accounts").all() as { account_id: string }[];
      for (const { account_id } of accounts) {
        expect(verifyChain(await store.readAuditChain(account_id)).intact).toBe(true);
      }
    } finally {
      db.close();
      await store.close();
    }
  });
});
