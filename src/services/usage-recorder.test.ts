import { describe, expect, it } from "vitest";
import type { CredentialUse, Store } from "../store/port.ts";
import { UsageRecorder } from "./usage-recorder.ts";

/** Only what the recorder touches: a unit test of coalescing, not of storage. */
function fakeStore() {
  const calls: CredentialUse[][] = [];
  const store = {
    recordCredentialUses: async (uses: CredentialUse[]) => {
      calls.push(uses);
    },
  } as unknown as Store;
  return { store, calls };
}

/** A store whose writes fail while `failing()` says so; every call is kept. */
function flakyStore(failing: (call: number) => boolean) {
  const calls: CredentialUse[][] = [];
  const store = {
    recordCredentialUses: async (uses: CredentialUse[]) => {
      calls.push(uses);
      if (failing(calls.length)) throw new Error("store down");
    },
  } as unknown as Store;
  return { store, calls };
}

const use = (credentialId: string, ms: number): CredentialUse => ({
  credentialId,
  accountId: "account",
  usedAt: new Date(ms),
  sourceIp: `10.0.0.${ms % 256}`,
});

describe("UsageRecorder", () => {
  it("coalesces many uses into one write per credential carrying the latest use", async () => {
    const { store, calls } = fakeStore();
    const recorder = new UsageRecorder(store);
    const ids = ["cred-a", "cred-b", "cred-c"];
    const latest = new Map<string, CredentialUse>();
    for (let i = 0; i < 1000; i++) {
      // A permutation of 0..999, so the latest use is not the last one recorded.
      const item = use(ids[i % 3] ?? "", 1_700_000_000_000 + ((i * 7919) % 1000));
      recorder.record(item);
      const seen = latest.get(item.credentialId);
      if (!seen || seen.usedAt < item.usedAt) latest.set(item.credentialId, item);
    }
    expect(recorder.pendingCount).toBe(3);

    await recorder.flush();
    expect(calls).toHaveLength(1);
    const batch = calls[0] ?? [];
    expect(batch).toHaveLength(3);
    for (const entry of batch) expect(entry).toEqual(latest.get(entry.credentialId));
    expect(new Set(batch.map((entry) => entry.credentialId))).toEqual(new Set(ids));
    expect(recorder.pendingCount).toBe(0);
  });

  it("makes no call when nothing is pending", async () => {
    const { store, calls } = fakeStore();
    const recorder = new UsageRecorder(store);
    await recorder.flush();
    expect(calls).toHaveLength(0);

    recorder.record(use("cred-a", 1));
    await recorder.flush();
    await recorder.flush();
    expect(calls).toHaveLength(1);
  });

  it("puts uses recorded after a flush into the next batch", async () => {
    const { store, calls } = fakeStore();
    const recorder = new UsageRecorder(store);
    recorder.record(use("cred-a", 1));
    await recorder.flush();
    recorder.record(use("cred-a", 2));
    await recorder.flush();
    expect(calls).toEqual([[use("cred-a", 1)], [use("cred-a", 2)]]);
  });

  it("writes everything pending in one batch, and nothing once it is written", async () => {
    const { store, calls } = fakeStore();
    const recorder = new UsageRecorder(store);
    recorder.record(use("cred-a", 5));
    recorder.record(use("cred-b", 6));
    await recorder.flush();
    await recorder.flush();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(2);
    expect(recorder.pendingCount).toBe(0);
  });

  it("keeps a failed batch for the next flush and keeps flushing after a failure", async () => {
    let fail = true;
    const { store, calls } = flakyStore(() => fail);
    const recorder = new UsageRecorder(store);
    recorder.record(use("cred-a", 1000));
    await expect(recorder.flush()).rejects.toThrow("store down");
    expect(recorder.pendingCount).toBe(1);
    recorder.record(use("cred-b", 2000));
    fail = false;
    await recorder.flush();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.map((u) => u.credentialId).sort()).toEqual(["cred-a", "cred-b"]);
    expect(recorder.pendingCount).toBe(0);
  });

  it("writes a large flush in slices, in id order, and re-queues only the slices not written", async () => {
    let failAt = 2;
    const { store, calls } = flakyStore((call) => call === failAt);
    const recorder = new UsageRecorder(store, { sliceSize: 500 });
    const ids = Array.from({ length: 1_200 }, (_, i) => `cred-${String((i * 7) % 1_200).padStart(4, "0")}`);
    for (const id of ids) recorder.record(use(id, 1_000));
    await expect(recorder.flush()).rejects.toThrow("store down");
    expect(calls.map((c) => c.length)).toEqual([500, 500]);
    // The first slice is written; the failed one and the one after it wait for the next flush.
    expect(recorder.pendingCount).toBe(700);
    failAt = 0;
    await recorder.flush();
    expect(calls.map((c) => c.length)).toEqual([500, 500, 500, 200]);
    const written = [calls[0], calls[2], calls[3]].flatMap((c) => (c ?? []).map((u) => u.credentialId));
    expect(written).toEqual([...ids].sort());
  });

  describe("with a precision (LAST_USE_PRECISION)", () => {
    const at = (credentialId: string, ms: number, sourceIp = "10.0.0.1"): CredentialUse => ({
      credentialId,
      accountId: "account",
      usedAt: new Date(ms),
      sourceIp,
    });

    it("writes a key in constant use once per precision, and a new address or a later use at once", async () => {
      const { store, calls } = fakeStore();
      const recorder = new UsageRecorder(store, { precisionMs: 60_000 });
      recorder.record(at("cred-a", 0));
      await recorder.flush();
      for (let ms = 5_000; ms < 60_000; ms += 5_000) {
        recorder.record(at("cred-a", ms));
        await recorder.flush();
      }
      // Eleven flushes of a key used before each: one write.
      expect(calls).toEqual([[at("cred-a", 0)]]);

      recorder.record(at("cred-a", 59_000, "10.0.0.2"));
      recorder.record(at("cred-b", 59_000));
      await recorder.flush();
      expect(calls[1]).toEqual([at("cred-a", 59_000, "10.0.0.2"), at("cred-b", 59_000)]);

      recorder.record(at("cred-a", 118_999, "10.0.0.2"));
      expect(recorder.pendingCount).toBe(0);
      recorder.record(at("cred-a", 119_000, "10.0.0.2"));
      expect(recorder.pendingCount).toBe(1);
    });

    it("remembers only what was written: a failed write is written again", async () => {
      let fail = true;
      const { store, calls } = flakyStore(() => fail);
      const recorder = new UsageRecorder(store, { precisionMs: 60_000 });
      recorder.record(at("cred-a", 1_000));
      await expect(recorder.flush()).rejects.toThrow("store down");
      fail = false;
      recorder.record(at("cred-a", 2_000));
      await recorder.flush();
      expect(calls.map((c) => c.map((u) => u.usedAt.getTime()))).toEqual([[1_000], [2_000]]);
      recorder.record(at("cred-a", 3_000));
      expect(recorder.pendingCount).toBe(0);
    });

    it("holds at most maxWritten keys; past that, uses are written at every flush", async () => {
      const { store, calls } = fakeStore();
      const recorder = new UsageRecorder(store, { precisionMs: 60_000, maxWritten: 2 });
      for (const id of ["cred-a", "cred-b", "cred-c"]) recorder.record(at(id, 0));
      await recorder.flush();
      for (const id of ["cred-a", "cred-b", "cred-c"]) recorder.record(at(id, 5_000));
      await recorder.flush();
      expect(calls[1]?.map((u) => u.credentialId)).toEqual(["cred-c"]);
    });
  });
});
