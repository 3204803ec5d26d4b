import { describe, expect, it } from "vitest";
import type { AddressSighting } from "../store/addresses-seen-port.ts";
import { AddressTally } from "./address-tally.ts";
import { UsageRecorder, type UsageWriter } from "./usage-recorder.ts";

const t = (ms: number) => new Date(1_700_000_000_000 + ms);

describe("AddressTally", () => {
  it("counts requests per account and address with their verdicts, the first and last instants", () => {
    const tally = new AddressTally({ maxPairs: 10 });
    tally.note("acc-b", "192.0.2.1", null, t(5));
    tally.note("acc-a", "192.0.2.1", "DENIED", t(3));
    tally.note("acc-a", "192.0.2.1", "ALLOWED", t(1));
    tally.note("acc-a", "192.0.2.1", "DENIED", t(2));
    tally.note("acc-a", "10.0.0.1", "ALLOWED", t(4));
    expect(tally.size).toBe(3);
    expect(tally.take()).toEqual([
      {
        accountId: "acc-a",
        address: "10.0.0.1",
        firstSeenAt: t(4),
        lastSeenAt: t(4),
        requests: 1,
        allowed: 1,
        denied: 0,
      },
      {
        accountId: "acc-a",
        address: "192.0.2.1",
        firstSeenAt: t(3),
        lastSeenAt: t(3),
        requests: 3,
        allowed: 1,
        denied: 2,
      },
      {
        accountId: "acc-b",
        address: "192.0.2.1",
        firstSeenAt: t(5),
        lastSeenAt: t(5),
        requests: 1,
        allowed: 0,
        denied: 0,
      },
    ]);
    expect(tally.size).toBe(0);
    expect(tally.take()).toEqual([]);
  });

  it("holds at most maxPairs pairs: requests of new pairs beyond them are dropped and reported", () => {
    const dropped: number[] = [];
    const tally = new AddressTally({ maxPairs: 2, onDropped: (n) => dropped.push(n) });
    tally.note("acc", "192.0.2.1", null, t(0));
    tally.note("acc", "192.0.2.2", null, t(0));
    tally.note("acc", "192.0.2.3", null, t(0));
    tally.note("other", "192.0.2.1", "DENIED", t(0));
    // Pairs already held still count.
    tally.note("acc", "192.0.2.1", "DENIED", t(1));
    expect(dropped).toEqual([1, 1]);
    expect(tally.take().map((s) => [s.address, s.requests])).toEqual([
      ["192.0.2.1", 2],
      ["192.0.2.2", 1],
    ]);
  });

  it("restores counts that could not be written, added to those counted since", () => {
    const tally = new AddressTally({ maxPairs: 2 });
    tally.note("acc", "192.0.2.1", "DENIED", t(5));
    const taken = tally.take();
    tally.note("acc", "192.0.2.1", "ALLOWED", t(9));
    tally.restore(taken);
    expect(tally.take()).toEqual([
      {
        accountId: "acc",
        address: "192.0.2.1",
        firstSeenAt: t(5),
        lastSeenAt: t(9),
        requests: 2,
        allowed: 1,
        denied: 1,
      },
    ]);
  });
});

describe("UsageRecorder's addresses", () => {
  function writer(options: { failFirst?: boolean } = {}) {
    const batches: AddressSighting[][] = [];
    let fail = options.failFirst ?? false;
    const store: UsageWriter = {
      recordCredentialUses: async () => {},
      recordAddressesSeen: async (sightings) => {
        if (fail) {
          fail = false;
          throw new Error("store down");
        }
        batches.push([...sightings]);
      },
      pruneAddressesSeen: async () => 0,
    };
    return { store, batches };
  }

  it("writes one row per pair per flush, in slices, and keeps what failed for the next flush", async () => {
    const { store, batches } = writer({ failFirst: true });
    const recorder = new UsageRecorder(store, { sliceSize: 2 });
    for (let i = 0; i < 1000; i++)
      recorder.noteAddress("acc", `192.0.2.${i % 3}`, i % 2 ? "DENIED" : "ALLOWED", t(i));
    expect(recorder.pendingAddressCount).toBe(3);
    await expect(recorder.flush()).rejects.toThrow("store down");
    expect(recorder.pendingAddressCount).toBe(3);
    await recorder.flush();
    expect(batches.map((b) => b.length)).toEqual([2, 1]);
    const written = batches.flat();
    expect(written.reduce((n, s) => n + s.requests, 0)).toBe(1000);
    expect(written.reduce((n, s) => n + s.denied, 0)).toBe(500);
    expect(recorder.pendingAddressCount).toBe(0);
  });

  it("reports dropped requests to its counter", () => {
    const dropped: number[] = [];
    const recorder = new UsageRecorder(writer().store, {
      maxPendingAddresses: 1,
      onAddressesDropped: (n) => dropped.push(n),
    });
    recorder.noteAddress("acc", "192.0.2.1", null, t(0));
    recorder.noteAddress("acc", "192.0.2.2", null, t(0));
    expect(dropped).toEqual([1]);
  });
});
