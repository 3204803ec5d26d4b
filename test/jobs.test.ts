import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, vi } from "vitest";
import { buildApps } from "../src/apps.ts";
import { buildServices } from "../src/compose.ts";
import { loadConfig } from "../src/config.ts";
import { pepperRing } from "../src/domain/secret-hash.ts";
import { JOB_NAMES } from "../src/jobs.ts";
import { createLogger } from "../src/logger.ts";
import { type RunningServer, startServer } from "../src/main.ts";
import { CertificateAuthority } from "../src/services/certificate-authority.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";
import { systemRandom } from "../src/system.ts";
import { onboardThroughProcess } from "./edge-fixtures.ts";
import { it } from "./fixtures.ts";
import {
  ADMIN_TOKEN,
  basic,
  DAY_MS,
  type Harness,
  json,
  ManualClock,
  ManualTicker,
  onboardAcquiringPartner,
  PEPPER,
  SESSION_SECRET,
} from "./harness.ts";

/** The value of one series of the metrics text, exactly (0 when the series is absent). */
async function metric(harness: Harness, series: string): Promise<number> {
  const text = (await harness.internal.inject({ method: "GET", url: "/metrics" })).body;
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const status = async (harness: Harness, accountId: string, credentialId: string): Promise<string> =>
  (await harness.store.findCredential(accountId, credentialId))?.status ?? "MISSING";

const createWithKey = (harness: Harness, apiKey: string, idempotencyKey: string) =>
  harness.app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: { ...basic(apiKey), "klarna-idempotency-key": idempotencyKey },
    payload: { type: "API", environment: "LIVE", description: "replayable" },
  });

/** Timers, sockets and other handles that keep the event loop busy, by kind (one-off requests aside). */
const activeResources = (): string[] =>
  process
    .getActiveResourcesInfo()
    .filter((kind) => !/Req(Callback|Promise)?$/.test(kind))
    .sort();

/** What `after` holds beyond `before`, counting each kind (a multiset difference). */
function added(before: string[], after: string[]): string[] {
  const left = [...before];
  return after.filter((kind) => {
    const at = left.indexOf(kind);
    if (at < 0) return true;
    left.splice(at, 1);
    return false;
  });
}

describe("buildServices", () => {
  it("starts nothing: no timer, no job, no listener is left running once it returns", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "build-services-"));
    const store = await openSqliteStore(":memory:");
    try {
      const config = loadConfig({ DATA_DIR: dataDir, USAGE_FLUSH_INTERVAL: "PT0.1S" });
      const ca = await CertificateAuthority.ephemeral({ now: new Date(), random: systemRandom });
      const before = activeResources();
      // Unreferenced timers are not among the active resources: count every interval set meanwhile.
      const intervals = vi.spyOn(globalThis, "setInterval");
      const services = await buildServices(config, {
        store,
        logger: createLogger({ level: "silent" }),
        clock: new ManualClock(),
        random: systemRandom,
        keys: { peppers: pepperRing({ version: 1, secret: PEPPER }, new Map()), ca },
      });
      const { app, internal } = await buildApps(services, {
        adminToken: ADMIN_TOKEN,
        sessionSecret: SESSION_SECRET,
      });
      await Promise.all([app.ready(), internal.ready()]);
      // Nothing new: a timer of the test runner's own may end meanwhile, but none may appear.
      expect(added(before, activeResources())).toEqual([]);
      expect(intervals).not.toHaveBeenCalled();
      intervals.mockRestore();
      await Promise.all([app.close(), internal.close()]);
      await services.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("runs no sweep, purge or flush before startJobs, however much time passes", async ({
    harness: h,
    partner,
  }) => {
    expect((await createWithKey(h, partner.apiKey, "kept")).statusCode).toBe(200);
    expect(h.usage.pendingCount).toBe(1);
    h.clock.advance(61 * DAY_MS);
    for (const job of JOB_NAMES) await h.ticker.fire(job);
    expect(h.ticker.started).toEqual([]);
    expect(await status(h, partner.accountId, partner.credentialId)).toBe("ACTIVE");
    expect(h.usage.pendingCount).toBe(1);
    // The expired record was still there for this purge to find.
    expect(await h.store.deleteExpiredIdempotencyKeys(h.clock.now())).toBe(1);
  });
});

describe("startJobs", () => {
  it("starts every job of serve: the sweep, the rotation check, the purge and the last-use flush", async ({
    harness: h,
  }) => {
    h.startJobs();
    expect(h.ticker.started.sort()).toEqual([...JOB_NAMES].sort());
  });

  it("the lifecycle sweep disables a credential idle past its limit, once, and counts it", async ({
    harness: h,
    partner,
  }) => {
    h.startJobs();
    h.clock.advance(60 * DAY_MS);
    await h.ticker.fire("lifecycle-sweep");
    expect(await status(h, partner.accountId, partner.credentialId)).toBe("ACTIVE");
    h.clock.advance(DAY_MS);
    await h.ticker.fire("lifecycle-sweep");
    expect(await status(h, partner.accountId, partner.credentialId)).toBe("DISABLED");
    await h.ticker.fire("lifecycle-sweep");
    expect(
      await metric(h, 'partner_credentials_lifecycle_transitions_total{rule="INACTIVITY_WARNING"}'),
    ).toBe(1);
    expect(
      await metric(h, 'partner_credentials_lifecycle_transitions_total{rule="INACTIVITY_DISABLE"}'),
    ).toBe(1);
    expect(
      (await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(partner.apiKey) })).statusCode,
    ).toBe(401);
    expect(h.logs()).not.toMatch(/sweep failed/);
  });

  it("the rotation check retires the old key when the overlap ends", async ({ harness: h, partner }) => {
    const rotated = await h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${partner.credentialId}/rotate`,
      headers: basic(partner.apiKey),
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    h.startJobs({ only: ["rotation-check"] });
    h.clock.advance(DAY_MS);
    await h.ticker.fire("rotation-check");
    expect(await status(h, partner.accountId, partner.credentialId)).toBe("DISABLED");
    expect(await metric(h, 'partner_credentials_lifecycle_transitions_total{rule="ROTATION_EXPIRED"}')).toBe(
      1,
    );
  });

  it("the purge deletes idempotency records once they expire, not before", async ({
    harness: h,
    partner,
  }) => {
    const first = await createWithKey(h, partner.apiKey, "purged");
    h.startJobs({ only: ["idempotency-purge"] });
    h.clock.advance(DAY_MS - 1);
    await h.ticker.fire("idempotency-purge");
    const replay = await createWithKey(h, partner.apiKey, "purged");
    expect(replay.headers["klarna-idempotent-replayed"]).toBe("true");
    expect(json(replay).credential_id).toBe(json(first).credential_id);
    h.clock.advance(1);
    await h.ticker.fire("idempotency-purge");
    expect(await h.store.deleteExpiredIdempotencyKeys(h.clock.now())).toBe(0);
  });

  it("the flush writes last-use records, and closing writes what is left", async ({
    harness: h,
    partner,
  }) => {
    h.startJobs({ only: ["usage-flush"] });
    await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(partner.apiKey) });
    expect(h.usage.pendingCount).toBe(1);
    await h.ticker.fire("usage-flush");
    expect(h.usage.pendingCount).toBe(0);
    expect((await h.store.findCredential(partner.accountId, partner.credentialId))?.lastUsedAt).toEqual(
      h.clock.now(),
    );
    h.clock.advance(60_000);
    await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(partner.apiKey) });
    await h.close({ keepData: true });
    const reopened = await openSqliteStore(join(h.dataDir, "test.sqlite"));
    try {
      if (h.backend === "sqlite")
        expect((await reopened.findCredential(partner.accountId, partner.credentialId))?.lastUsedAt).toEqual(
          h.clock.now(),
        );
    } finally {
      await reopened.close();
      rmSync(h.dataDir, { recursive: true, force: true });
    }
  });

  it("stop waits for every run in flight, and the store closes only after the last one", async ({
    startHarness,
  }) => {
    const order: string[] = [];
    const release = new Map<string, () => void>();
    /** The first store call of each job waits here until the test lets it go. */
    const hold = async (job: string): Promise<void> => {
      if (release.has(job)) return;
      order.push(`${job} held`);
      await new Promise<void>((resolve) => release.set(job, resolve));
      order.push(`${job} done`);
    };
    const h = await startHarness(
      {},
      {
        wrapStore: (inner) =>
          new Proxy(inner, {
            get(target, property, receiver) {
              const value = Reflect.get(target, property, receiver);
              if (typeof value !== "function") return value;
              return async (...args: unknown[]) => {
                if (property === "close") order.push("store closed");
                if (property === "applyLifecycleRule") await hold("sweep");
                if (property === "deleteExpiredIdempotencyKeys") await hold("purge");
                return value.apply(target, args);
              };
            },
          }),
      },
    );
    await onboardAcquiringPartner(h);
    h.startJobs();
    h.clock.advance(61 * DAY_MS);
    const sweep = h.ticker.fire("lifecycle-sweep");
    const purge = h.ticker.fire("idempotency-purge");
    for (let waited = 0; release.size < 2; waited += 5) {
      if (waited > 10_000) throw new Error(`only ${[...release.keys()].join(", ")} reached the store`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const closed = h.close();
    // The purge, started last, ends first; the sweep a while later. Close waits for both.
    setTimeout(() => release.get("purge")?.(), 20);
    setTimeout(() => release.get("sweep")?.(), 150);
    await closed;
    await Promise.all([sweep, purge]);
    expect(order.slice(0, 2).sort()).toEqual(["purge held", "sweep held"]);
    expect(order.slice(2)).toEqual(["purge done", "sweep done", "store closed"]);
    expect(h.logs()).not.toMatch(/sweep failed|purge failed/);
  });
});

describe("serve", () => {
  let server: RunningServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    server = undefined;
  });

  it("starts every job once it listens: an idle credential is disabled by its sweep", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "serve-jobs-"));
    const clock = new ManualClock(new Date().toISOString());
    const ticker = new ManualTicker();
    server = await startServer(
      loadConfig({
        DATA_DIR: dataDir,
        PORT: "0",
        INTERNAL_PORT: "0",
        TLS_PORT: "off",
        ADMIN_TOKEN,
        PEPPER,
      }),
      createLogger({ level: "silent" }),
      { clock, random: systemRandom, ticker },
    );
    expect(ticker.started.sort()).toEqual([...JOB_NAMES].sort());
    const partner = await onboardThroughProcess(server, "Serve Jobs");
    const account = () =>
      fetch(`${server?.url}/v1/account`, { headers: basic(partner.apiKey) }).then((r) => r.status);
    expect(await account()).toBe(200);
    clock.advance(61 * DAY_MS);
    await ticker.fire("usage-flush");
    await ticker.fire("lifecycle-sweep");
    expect(await account()).toBe(401);
    const running = server;
    server = undefined;
    await running.close();
    expect(ticker.started).toEqual([]);
  });
});
