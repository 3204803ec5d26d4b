import { describe, expect, it } from "vitest";
import type { Credential } from "../domain/types.ts";
import { LocalBus } from "./invalidation-bus.ts";
import { ListingCache } from "./listing-cache.ts";
import type { CredentialQuery } from "./port.ts";

const query = (accountId: string, limit = 51): CredentialQuery => ({ accountId, after: null, limit });
const rows = (n: number, tag = "") =>
  Array.from({ length: n }, (_, i) => ({ credentialId: `${tag}${i}` }) as unknown as Credential);

function setup(maxCredentials = 100) {
  let now = 0;
  const bus = new LocalBus();
  const cache = new ListingCache({
    ttlMs: 5_000,
    fallbackTtlMs: 5_000,
    maxCredentials,
    bus,
    clock: { now: () => new Date(now) },
  });
  let reads = 0;
  const read =
    (n: number, tag = "") =>
    async () => {
      reads++;
      return rows(n, tag);
    };
  return { cache, bus, read, reads: () => reads, advance: (ms: number) => (now += ms) };
}

describe("ListingCache", () => {
  it("keeps a page for its lifetime, frozen, and per query", async () => {
    const t = setup();
    const first = await t.cache.page(query("A"), t.read(2));
    expect(await t.cache.page(query("A"), t.read(2))).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    await t.cache.page(query("A", 11), t.read(2));
    expect(t.reads()).toBe(2);
    t.advance(5_000);
    await t.cache.page(query("A"), t.read(2));
    expect(t.reads()).toBe(3);
  });

  it("drops only the pages of the accounts an announcement names; one without an account drops all", async () => {
    const t = setup();
    await t.cache.page(query("A"), t.read(1));
    await t.cache.page(query("B"), t.read(1));
    t.bus.publish({ kind: "credential-lists", accountIds: ["A"] });
    await t.cache.page(query("A"), t.read(1));
    await t.cache.page(query("B"), t.read(1));
    expect(t.reads()).toBe(3);
    t.bus.publish({ kind: "credential", lookupId: "L", accountId: "B" });
    await t.cache.page(query("A"), t.read(1));
    await t.cache.page(query("B"), t.read(1));
    expect(t.reads()).toBe(4);
    t.bus.publish({ kind: "credential", lookupId: "L" });
    await t.cache.page(query("A"), t.read(1));
    await t.cache.page(query("B"), t.read(1));
    expect(t.reads()).toBe(6);
  });

  it("does not keep a read that an announcement overtook", async () => {
    const t = setup();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = t.cache.page(query("A"), async () => {
      await held;
      return rows(1, "old");
    });
    t.bus.publish({ kind: "credential-lists", accountIds: ["A"] });
    release();
    expect((await slow)[0]?.credentialId).toBe("old0");
    expect((await t.cache.page(query("A"), t.read(1, "new")))[0]?.credentialId).toBe("new0");
  });

  it("holds at most maxCredentials credentials, the least recently used page dropped first", async () => {
    const t = setup(10);
    await t.cache.page(query("A"), t.read(4));
    await t.cache.page(query("B"), t.read(4));
    await t.cache.page(query("A"), t.read(4));
    await t.cache.page(query("C"), t.read(4)); // 15 with B: B goes
    expect(t.reads()).toBe(3);
    await t.cache.page(query("A"), t.read(4));
    expect(t.reads()).toBe(3);
    await t.cache.page(query("B"), t.read(4));
    expect(t.reads()).toBe(4);
  });
});
