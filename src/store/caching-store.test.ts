import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachingStore } from "./caching-store.ts";
import { type BusState, type Invalidation, type InvalidationBus, LocalBus } from "./invalidation-bus.ts";
import type { CredentialForAuth, Store } from "./port.ts";

/** A store whose single credential read the test controls (and counts). */
function fakeStore(): {
  store: Store;
  reads: () => number;
  setStatus(status: string): void;
  gate(): () => void;
} {
  let status = "ACTIVE";
  let count = 0;
  let hold: Promise<void> | null = null;
  const store = {
    async findCredentialByLookupId(): Promise<CredentialForAuth | null> {
      count++;
      const seen = status;
      if (hold) await hold;
      return {
        credential: { lookupId: "L1", accountId: "A1", status: seen },
        secret: null,
      } as unknown as CredentialForAuth;
    },
    async disableActiveCredential() {
      status = "DISABLED";
      return { lookupId: "L1", accountId: "A1" };
    },
    async close() {},
  } as unknown as Store;
  return {
    store,
    reads: () => count,
    setStatus: (s) => {
      status = s;
    },
    gate: () => {
      let release = () => {};
      hold = new Promise<void>((resolve) => {
        release = () => {
          hold = null;
          resolve();
        };
      });
      return release;
    },
  };
}

class SwitchableBus implements InvalidationBus {
  readonly #local = new LocalBus();
  state_: BusState = "UP";
  publish(event: Invalidation): void {
    this.#local.publish(event);
  }
  subscribe(handler: (event: Invalidation) => void): void {
    this.#local.subscribe(handler);
  }
  onReconnect(): void {}
  state(): BusState {
    return this.state_;
  }
  async close(): Promise<void> {}
}

let now = 0;
const clock = { now: () => new Date(now) };
const counters = { hit: () => undefined, miss: () => undefined };
beforeEach(() => {
  now = 1_000_000;
});
afterEach(() => undefined);

/** The cache under test: 10 entries, a 5 s fallback lifetime, the test's clock. */
const cache = (inner: Store, bus: InvalidationBus, ttlMs: number): Store =>
  cachingStore(inner, { ttlMs, fallbackTtlMs: 5_000, maxEntries: 10, bus, clock, counters });

describe("verification cache", () => {
  it("serves repeats from memory and drops an entry when its credential changes", async () => {
    const fake = fakeStore();
    const bus = new SwitchableBus();
    const store = cache(fake.store, bus, 60_000);
    await store.findCredentialByLookupId("L1");
    await store.findCredentialByLookupId("L1");
    expect(fake.reads()).toBe(1);
    await store.disableActiveCredential({} as never);
    expect((await store.findCredentialByLookupId("L1"))?.credential.status).toBe("DISABLED");
    expect(fake.reads()).toBe(2);
  });

  it("trusts entries only for the fallback lifetime while the bus is down", async () => {
    const fake = fakeStore();
    const bus = new SwitchableBus();
    const store = cache(fake.store, bus, 60_000);
    await store.findCredentialByLookupId("L1");
    bus.state_ = "DOWN";
    fake.setStatus("DISABLED"); // changed elsewhere; the announcement is lost
    now += 4_999;
    expect((await store.findCredentialByLookupId("L1"))?.credential.status).toBe("ACTIVE");
    now += 1;
    expect((await store.findCredentialByLookupId("L1"))?.credential.status).toBe("DISABLED");
  });

  it("does not cache a read that an invalidation overtook", async () => {
    const fake = fakeStore();
    const bus = new SwitchableBus();
    const store = cache(fake.store, bus, 60_000);
    const release = fake.gate();
    const slow = store.findCredentialByLookupId("L1"); // sees ACTIVE, then waits
    await new Promise((r) => setTimeout(r, 5));
    fake.setStatus("DISABLED");
    bus.publish({ kind: "credential", lookupId: "L1" });
    release();
    expect((await slow)?.credential.status).toBe("ACTIVE");
    expect((await store.findCredentialByLookupId("L1"))?.credential.status).toBe("DISABLED");
  });

  it("counts an entry's age from when its read began", async () => {
    const fake = fakeStore();
    const bus = new SwitchableBus();
    bus.state_ = "DOWN";
    const store = cache(fake.store, bus, 5_000);
    const release = fake.gate();
    const slow = store.findCredentialByLookupId("L1");
    now += 3_000; // a slow read
    release();
    await slow;
    now += 2_000; // 5 s after the read began, 2 s after it finished
    await store.findCredentialByLookupId("L1");
    expect(fake.reads()).toBe(2);
  });

  it("announces a status change even when it finds nothing to change", async () => {
    const fake = fakeStore();
    const events: Invalidation[] = [];
    const bus = new SwitchableBus();
    bus.subscribe((event) => events.push(event));
    const inner = Object.assign(Object.create(fake.store), {
      disableActiveCredential: async () => null,
    }) as Store;
    const store = cache(inner, bus, 5_000);
    await store.disableActiveCredential({ accountId: "A1" } as never);
    expect(events).toEqual([{ kind: "account", accountId: "A1" }]);
  });

  it("announces a leak report's disable, and a failed one for the whole account", async () => {
    const fake = fakeStore();
    const events: Invalidation[] = [];
    const bus = new SwitchableBus();
    bus.subscribe((event) => events.push(event));
    const outcomes: (() => Promise<unknown>)[] = [
      async () => ({ outcome: "RECORDED", disabled: { lookupId: "L1", accountId: "A1" } }),
      async () => ({ outcome: "REPEATED" }),
      async () => {
        throw new Error("connection lost before the commit's answer");
      },
    ];
    const inner = Object.assign(Object.create(fake.store), {
      recordCredentialLeak: () => (outcomes.shift() as () => Promise<unknown>)(),
    }) as Store;
    const store = cache(inner, bus, 5_000);
    const report = { accountId: "A1", disable: true } as never;
    await store.findCredentialByLookupId("L1");
    await store.recordCredentialLeak(report);
    expect(events).toEqual([{ kind: "credential", lookupId: "L1", accountId: "A1" }]);
    // The cached ACTIVE credential is gone: the next read goes to the store.
    await store.findCredentialByLookupId("L1");
    expect(fake.reads()).toBe(2);
    await store.recordCredentialLeak(report);
    await expect(store.recordCredentialLeak(report)).rejects.toThrow(/connection lost/);
    expect(events).toEqual([
      { kind: "credential", lookupId: "L1", accountId: "A1" },
      { kind: "account", accountId: "A1" },
    ]);
  });
});
