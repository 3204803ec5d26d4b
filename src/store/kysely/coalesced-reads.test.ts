import { describe, expect, it } from "vitest";
import { coalescedReads } from "./coalesced-reads.ts";

/** A reader over a fixed table that records each batch and answers when the test releases it. */
function table(rows: Record<string, number>) {
  const batches: string[][] = [];
  const pending: { release(): void; fail(error: Error): void }[] = [];
  const readMany = (keys: string[]) =>
    new Promise<Map<string, number>>((resolve, reject) => {
      batches.push(keys);
      pending.push({
        release: () => resolve(new Map(keys.filter((k) => k in rows).map((k) => [k, rows[k] as number]))),
        fail: reject,
      });
    });
  const next = () => {
    const first = pending.shift();
    if (!first) throw new Error("no batch under way");
    return first;
  };
  return { readMany, batches, next };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("coalescedReads", () => {
  it("sends a read at once, and the reads asked for meanwhile together in the next batch", async () => {
    const t = table({ a: 1, b: 2, c: 3 });
    const read = coalescedReads(t.readMany);
    const first = read("a");
    expect(t.batches).toEqual([["a"]]);
    const later = [read("b"), read("c"), read("b"), read("unknown")];
    await settle();
    expect(t.batches).toHaveLength(1);
    t.next().release();
    expect(await first).toBe(1);
    await settle();
    expect(t.batches).toEqual([["a"], ["b", "c", "unknown"]]);
    t.next().release();
    expect(await Promise.all(later)).toEqual([2, 3, 2, undefined]);
  });

  it("splits a batch at maxBatch keys", async () => {
    const t = table({});
    const read = coalescedReads(t.readMany, 2);
    const all = [read("a"), read("b"), read("c"), read("d"), read("e")];
    t.next().release();
    await settle();
    t.next().release();
    await settle();
    t.next().release();
    expect(await Promise.all(all)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(t.batches).toEqual([["a"], ["b", "c"], ["d", "e"]]);
  });

  it("fails every read of a failed batch, and tries the next batch afresh", async () => {
    const t = table({ a: 1, b: 2 });
    const read = coalescedReads(t.readMany);
    const first = read("a");
    const second = read("b");
    t.next().fail(new Error("store down"));
    await expect(first).rejects.toThrow("store down");
    await settle();
    t.next().release();
    expect(await second).toBe(2);
    const again = read("a");
    t.next().release();
    expect(await again).toBe(1);
  });
});
