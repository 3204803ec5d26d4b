import { expect, it } from "vitest";
import type { AllowedOrigin } from "../../src/domain/types.ts";
import { accountId, makeAccount, makeAudit, makeOrigin, originId } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Allowed web origins of an account: added once up to a maximum, listed, removed, and matched for CORS. */
export const allowedOrigins = contractArea("allowed-origins", "allowed origins", (ctx) => {
  const { store, addAccount, auditOf } = ctx;

  function insert(origin: AllowedOrigin, max = 100) {
    return store.insertAllowedOrigin({
      origin,
      max,
      audit: makeAudit(origin.accountId, {
        action: "allowed_origin.created",
        targetType: "ALLOWED_ORIGIN",
        targetId: origin.originId,
      }),
    });
  }

  const originEvents = async (owner: string) =>
    (await auditOf(owner)).filter((e) => e.targetType === "ALLOWED_ORIGIN");

  it("insertAllowedOrigin adds an origin with its audit event; listAllowedOrigins lists the account's alphabetically", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const a = account.accountId;
    const shop = makeOrigin(1, a, "shop.example.com");
    const plain = { ...makeOrigin(2, a, "www.example.org"), scheme: "http" as const };
    const admin = makeOrigin(3, a, "admin.example.com:8443");
    for (const origin of [shop, plain, admin]) expect(await insert(origin)).toEqual({ outcome: "INSERTED" });
    const theirs = makeOrigin(4, other.accountId, "shop.example.com");
    expect(await insert(theirs)).toEqual({ outcome: "INSERTED" });

    expect(await store.listAllowedOrigins(a)).toEqual([admin, shop, plain]);
    expect(await store.listAllowedOrigins(other.accountId)).toEqual([theirs]);
    expect(await store.listAllowedOrigins(accountId(99))).toEqual([]);
    expect((await originEvents(a)).map((e) => e.targetId)).toEqual(
      [admin, plain, shop].map((o) => o.originId),
    );
  });

  it("a second registration of an origin is a DUPLICATE naming the first, and writes nothing", async () => {
    const account = await addAccount(makeAccount(1));
    const first = makeOrigin(1, account.accountId, "shop.example.com");
    await insert(first);
    const eventsBefore = await auditOf(account.accountId);

    expect(await insert(makeOrigin(2, account.accountId, "shop.example.com"))).toEqual({
      outcome: "DUPLICATE",
      existing: first,
    });
    expect(await store.listAllowedOrigins(account.accountId)).toEqual([first]);
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);
  });

  it("an account at its maximum is FULL and nothing is written; other accounts do not count", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    await insert(makeOrigin(1, other.accountId, "a.example.com"), 2);
    await insert(makeOrigin(2, other.accountId, "b.example.com"), 2);
    expect(await insert(makeOrigin(3, account.accountId, "a.example.com"), 2)).toEqual({
      outcome: "INSERTED",
    });
    expect(await insert(makeOrigin(4, account.accountId, "b.example.com"), 2)).toEqual({
      outcome: "INSERTED",
    });
    const eventsBefore = await auditOf(account.accountId);

    expect(await insert(makeOrigin(5, account.accountId, "c.example.com"), 2)).toEqual({ outcome: "FULL" });
    expect((await store.listAllowedOrigins(account.accountId)).map((o) => o.origin)).toEqual([
      "a.example.com",
      "b.example.com",
    ]);
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);
    // A duplicate is recognised as such even when the account is full.
    expect((await insert(makeOrigin(6, account.accountId, "a.example.com"), 2)).outcome).toBe("DUPLICATE");
  });

  it("deleteAllowedOrigin removes the account's origin once, with its audit event", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const kept = makeOrigin(1, account.accountId, "kept.example.com");
    const removed = makeOrigin(2, account.accountId, "removed.example.com");
    for (const origin of [kept, removed]) await insert(origin);
    const remove = (owner: string, originId: string) =>
      store.deleteAllowedOrigin({
        accountId: owner,
        originId,
        audit: makeAudit(owner, {
          action: "allowed_origin.deleted",
          targetType: "ALLOWED_ORIGIN",
          targetId: originId,
        }),
      });

    expect(await remove(other.accountId, removed.originId)).toBe(false);
    expect(await remove(account.accountId, removed.originId)).toBe(true);
    expect(await remove(account.accountId, removed.originId)).toBe(false);
    expect(await remove(account.accountId, originId(99))).toBe(false);

    expect(await store.listAllowedOrigins(account.accountId)).toEqual([kept]);
    const deletions = (await originEvents(account.accountId)).filter(
      (e) => e.action === "allowed_origin.deleted",
    );
    expect(deletions.map((e) => e.targetId)).toEqual([removed.originId]);
    expect(await originEvents(other.accountId)).toEqual([]);
    // The origin may be registered again.
    expect(await insert(makeOrigin(3, account.accountId, "removed.example.com"))).toEqual({
      outcome: "INSERTED",
    });
  });

  it("findAllowedOrigins returns the registrations, of any account, equal to one of the candidates", async () => {
    const one = await addAccount(makeAccount(1));
    const two = await addAccount(makeAccount(2));
    const exact = makeOrigin(1, one.accountId, "shop.example.com");
    const wildcard = makeOrigin(2, two.accountId, "*.example.com");
    const again = makeOrigin(3, two.accountId, "shop.example.com");
    const unrelated = makeOrigin(4, one.accountId, "other.example.net");
    for (const origin of [exact, wildcard, again, unrelated]) await insert(origin);
    const byId = (list: AllowedOrigin[]) => [...list].sort((a, b) => (a.originId < b.originId ? -1 : 1));

    expect(byId(await store.findAllowedOrigins(["shop.example.com", "*.example.com", "*"]))).toEqual([
      exact,
      wildcard,
      again,
    ]);
    expect(await store.findAllowedOrigins(["other.example.net"])).toEqual([unrelated]);
    expect(await store.findAllowedOrigins(["example.com", "shop.example.com:443"])).toEqual([]);
    expect(await store.findAllowedOrigins([])).toEqual([]);
  });
});
