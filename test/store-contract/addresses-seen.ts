import { expect, it } from "vitest";
import type { AddressSighting } from "../../src/store/addresses-seen-port.ts";
import { accountId, at, DAY, HOUR, MINUTE, makeAccount } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

function sighting(owner: string, address: string, overrides: Partial<AddressSighting> = {}): AddressSighting {
  return {
    accountId: owner,
    address,
    firstSeenAt: at(HOUR),
    lastSeenAt: at(HOUR),
    requests: 1,
    allowed: 0,
    denied: 0,
    ...overrides,
  };
}

/** The IP allow-list report: counts per account and address, added up batch after batch, and pruned. */
export const addressesSeen = contractArea("addresses-seen", "addresses seen", (ctx) => {
  const { store, addAccount } = ctx;

  it("recordAddressesSeen adds counts up and only widens the first and last seen instants", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    expect(await store.listAddressesSeen(account.accountId, 10)).toEqual([]);
    await store.recordAddressesSeen([
      sighting(account.accountId, "203.0.113.7", { requests: 5, allowed: 3, denied: 2 }),
      sighting(account.accountId, "2001:db8::1", { lastSeenAt: at(2 * HOUR), requests: 2 }),
      sighting(other.accountId, "203.0.113.7", { requests: 9, denied: 9 }),
    ]);
    await store.recordAddressesSeen([
      sighting(account.accountId, "203.0.113.7", {
        firstSeenAt: at(30 * MINUTE),
        lastSeenAt: at(3 * HOUR),
        requests: 4,
        allowed: 1,
        denied: 3,
      }),
      // A batch written late (a retried flush) never moves the last instant back.
      sighting(account.accountId, "2001:db8::1", {
        firstSeenAt: at(90 * MINUTE),
        lastSeenAt: at(90 * MINUTE),
        requests: 1,
      }),
    ]);
    expect(await store.listAddressesSeen(account.accountId, 10)).toEqual([
      {
        address: "203.0.113.7",
        firstSeenAt: at(30 * MINUTE),
        lastSeenAt: at(3 * HOUR),
        requests: 9,
        allowed: 4,
        denied: 5,
      },
      {
        address: "2001:db8::1",
        firstSeenAt: at(HOUR),
        lastSeenAt: at(2 * HOUR),
        requests: 3,
        allowed: 0,
        denied: 0,
      },
    ]);
    expect((await store.listAddressesSeen(account.accountId, 1)).map((s) => s.address)).toEqual([
      "203.0.113.7",
    ]);
    expect(await store.listAddressesSeen(other.accountId, 10)).toEqual([
      {
        address: "203.0.113.7",
        firstSeenAt: at(HOUR),
        lastSeenAt: at(HOUR),
        requests: 9,
        allowed: 0,
        denied: 9,
      },
    ]);
    await expect(store.recordAddressesSeen([])).resolves.toBeUndefined();
  });

  it("lists the most recently seen first, ties by address", async () => {
    const account = await addAccount(makeAccount(1));
    await store.recordAddressesSeen([
      sighting(account.accountId, "198.51.100.2"),
      sighting(account.accountId, "198.51.100.1"),
      sighting(account.accountId, "192.0.2.1", { lastSeenAt: at(DAY) }),
    ]);
    expect((await store.listAddressesSeen(account.accountId, 10)).map((s) => s.address)).toEqual([
      "192.0.2.1",
      "198.51.100.1",
      "198.51.100.2",
    ]);
  });

  it("pruneAddressesSeen drops addresses not seen since the cutoff, and those beyond each account's cap", async () => {
    const crowded = await addAccount(makeAccount(1));
    const quiet = await addAccount(makeAccount(2));
    await store.recordAddressesSeen([
      ...Array.from({ length: 5 }, (_, i) =>
        sighting(crowded.accountId, `192.0.2.${i + 1}`, { lastSeenAt: at(10 * DAY + i * HOUR) }),
      ),
      sighting(crowded.accountId, "192.0.2.99", { lastSeenAt: at(DAY) }),
      sighting(quiet.accountId, "198.51.100.1", { lastSeenAt: at(DAY) }),
      sighting(quiet.accountId, "198.51.100.2", { lastSeenAt: at(9 * DAY) }),
    ]);
    const removed = await store.pruneAddressesSeen({ seenBefore: at(5 * DAY), keepPerAccount: 3 });
    // Two too old, then two of the five recent ones of the crowded account (its oldest).
    expect(removed).toBe(4);
    expect((await store.listAddressesSeen(crowded.accountId, 10)).map((s) => s.address)).toEqual([
      "192.0.2.5",
      "192.0.2.4",
      "192.0.2.3",
    ]);
    expect((await store.listAddressesSeen(quiet.accountId, 10)).map((s) => s.address)).toEqual([
      "198.51.100.2",
    ]);
    expect(await store.pruneAddressesSeen({ seenBefore: at(5 * DAY), keepPerAccount: 3 })).toBe(0);
    expect(await store.listAddressesSeen(accountId(3), 10)).toEqual([]);
  });
});
