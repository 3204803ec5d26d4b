import { describe, expect, it } from "vitest";
import type { Account } from "../../src/domain/types.ts";
import { accountId, at, MINUTE, makeAccount, makeAudit, makeLink } from "./fixtures.ts";
import { contractArea } from "./harness.ts";
import { accountPosition, allPages, expectPagesCover, newestFirst } from "./paging.ts";

/** Accounts: creation with its link and event, lookups, the operator's listing, and counting a family. */
export const accounts = contractArea("accounts", "accounts", (ctx) => {
  const { store, addAccount, auditOf } = ctx;

  it("createAccount stores the account, its onboarding link and its audit event", async () => {
    const account = makeAccount(1);
    const link = makeLink(1, account.accountId);
    const audit = makeAudit(account.accountId, { action: "account.created", sourceIp: "198.51.100.4" });
    await store.createAccount({ account, link, audit: [audit] });

    expect(await store.findAccount(account.accountId)).toEqual(account);
    expect(await store.findOnboardingLink(link.tokenHash)).toEqual(link);
    expect(await auditOf(account.accountId)).toEqual([audit]);
  });

  it("createAccount without a link stores no link", async () => {
    const account = makeAccount(1);
    await addAccount(account);
    expect(await store.findAccount(account.accountId)).toEqual(account);
    expect(await store.findOnboardingLink(makeLink(1, account.accountId).tokenHash)).toBeNull();
  });

  it("createAccount is atomic: when the audit insert fails, neither account nor link remains", async () => {
    const first = await addAccount(makeAccount(1));
    const [firstAudit] = await auditOf(first.accountId);
    if (!firstAudit) throw new Error("expected the creation audit event");

    const second = makeAccount(2);
    const link = makeLink(2, second.accountId);
    const duplicateAudit = { ...firstAudit, accountId: second.accountId };
    await expect(store.createAccount({ account: second, link, audit: [duplicateAudit] })).rejects.toThrow();

    expect(await store.findAccount(second.accountId)).toBeNull();
    expect(await store.findOnboardingLink(link.tokenHash)).toBeNull();
    expect(await auditOf(second.accountId)).toEqual([]);
    expect(await auditOf(first.accountId)).toEqual([firstAudit]);
  });

  it("findAccount round-trips every field and returns null for an unknown id", async () => {
    const parent = await addAccount(makeAccount(1, { name: "Acme Acquiring" }));
    const child = await addAccount(
      makeAccount(2, {
        name: "Shop Ölmühle & Söhne",
        kind: "PARTNER_ACCOUNT",
        environment: "TEST",
        parentAccountId: parent.accountId,
        partnerAccountReference: "merchant-42",
        createdAt: new Date("2026-03-01T12:34:56.789Z"),
        createdBy: "0190a1b2-c3d4-7000-8000-0000000000ff",
      }),
    );

    const foundParent = await store.findAccount(parent.accountId);
    const foundChild = await store.findAccount(child.accountId);
    expect(foundParent).toEqual(parent);
    expect(foundChild).toEqual(child);
    expect(foundChild?.createdAt).toBeInstanceOf(Date);
    expect(foundChild?.createdAt.getTime()).toBe(child.createdAt.getTime());
    expect(await store.findAccount(accountId(99))).toBeNull();
  });

  it("listAccounts returns accounts newest first", async () => {
    const a1 = makeAccount(1);
    const a2 = makeAccount(2);
    const a3 = makeAccount(3);
    for (const a of [a2, a3, a1]) await addAccount(a);

    expect(await store.listAccounts({ after: null, limit: 10 })).toEqual([a3, a2, a1]);
    expect(await store.listAccounts({ after: null, limit: 2 })).toEqual([a3, a2]);
    expect(await store.listAccounts({ after: accountPosition(a2), limit: 10 })).toEqual([a1]);
    expect(await store.listAccounts({ after: accountPosition(a1), limit: 10 })).toEqual([]);
  });

  it("listAccounts pages never overlap or skip when several accounts share created_at", async () => {
    const minutes = [0, 1, 1, 1, 2, 2, 3];
    const accounts = minutes.map((m, i) => makeAccount(i + 1, { createdAt: at(m * MINUTE) }));
    for (const i of [4, 0, 6, 2, 5, 1, 3]) {
      const account = accounts[i];
      if (account) await addAccount(account);
    }
    const expected = newestFirst(accounts, accountPosition);
    expect(await store.listAccounts({ after: null, limit: 100 })).toEqual(expected);

    for (const limit of [1, 2, 3]) {
      const pages = await allPages(limit, (page) => store.listAccounts(page), accountPosition);
      expectPagesCover(pages, expected, limit);
    }
  });

  it("listAccounts filters by parentAccountId and kind", async () => {
    const ap1 = await addAccount(makeAccount(1));
    const ap2 = await addAccount(makeAccount(2));
    const child = (n: number, parent: Account) =>
      makeAccount(n, { kind: "PARTNER_ACCOUNT", parentAccountId: parent.accountId });
    const pa3 = await addAccount(child(3, ap1));
    const pa4 = await addAccount(child(4, ap1));
    const pa5 = await addAccount(child(5, ap2));
    const list = (query: { parentAccountId?: string; kind?: Account["kind"] }, limit = 100) =>
      store.listAccounts({ after: null, limit, ...query });

    expect(await list({})).toEqual([pa5, pa4, pa3, ap2, ap1]);
    expect(await list({ parentAccountId: ap1.accountId })).toEqual([pa4, pa3]);
    expect(await list({ parentAccountId: ap2.accountId })).toEqual([pa5]);
    expect(await list({ parentAccountId: pa3.accountId })).toEqual([]);
    expect(await list({ kind: "ACQUIRING_PARTNER" })).toEqual([ap2, ap1]);
    expect(await list({ kind: "PARTNER_ACCOUNT" })).toEqual([pa5, pa4, pa3]);
    expect(await list({ parentAccountId: ap1.accountId, kind: "PARTNER_ACCOUNT" })).toEqual([pa4, pa3]);
    expect(await list({ parentAccountId: ap1.accountId, kind: "ACQUIRING_PARTNER" })).toEqual([]);

    const pages = await allPages(
      1,
      (page) => store.listAccounts({ ...page, parentAccountId: ap1.accountId }),
      accountPosition,
    );
    expect(pages).toEqual([[pa4], [pa3]]);
  });

  it("listAccounts filters by environment, with the other filters and across pages", async () => {
    const live = await addAccount(makeAccount(1));
    const test1 = await addAccount(makeAccount(2, { environment: "TEST" }));
    const test2 = await addAccount(
      makeAccount(3, { environment: "TEST", kind: "PARTNER_ACCOUNT", parentAccountId: test1.accountId }),
    );
    const list = (query: { environment?: Account["environment"]; kind?: Account["kind"] }) =>
      store.listAccounts({ after: null, limit: 100, ...query });

    expect(await list({ environment: "LIVE" })).toEqual([live]);
    expect(await list({ environment: "TEST" })).toEqual([test2, test1]);
    expect(await list({ environment: "TEST", kind: "ACQUIRING_PARTNER" })).toEqual([test1]);
    expect(await list({ environment: "LIVE", kind: "PARTNER_ACCOUNT" })).toEqual([]);
    const pages = await allPages(
      1,
      (page) => store.listAccounts({ ...page, environment: "TEST" }),
      accountPosition,
    );
    expect(pages).toEqual([[test2], [test1]]);
  });

  describe("searchAccounts", () => {
    const search = (text: string, familyOf?: string) =>
      store.searchAccounts({ after: null, limit: 100, text, ...(familyOf ? { familyOf } : {}) });

    it("matches a name or reference substring in any ASCII case, or an exact account id, newest first", async () => {
      const acme = await addAccount(makeAccount(1, { name: "Acme Acquiring" }));
      const shop = await addAccount(
        makeAccount(2, {
          name: "Shop Ölmühle & Söhne",
          kind: "PARTNER_ACCOUNT",
          parentAccountId: acme.accountId,
          partnerAccountReference: "Merchant-42",
        }),
      );
      const other = await addAccount(makeAccount(3, { name: "Other ACME Ltd" }));

      expect(await search("acme")).toEqual([other, acme]);
      expect(await search("ACQUIR")).toEqual([acme]);
      expect(await search("merchant-4")).toEqual([shop]);
      expect(await search("Ölmühle")).toEqual([shop]);
      expect(await search(acme.accountId)).toEqual([acme]);
      // The id only whole: a part of it is no match (unless a name holds it).
      expect(await search(acme.accountId.slice(0, -1))).toEqual([]);
      expect(await search("nothing like it")).toEqual([]);
      // Non-ASCII letters compare exactly on every store.
      expect(await search("ölmühle")).toEqual([]);
    });

    it("escapes the LIKE wildcards and the escape character", async () => {
      const percent = await addAccount(makeAccount(1, { name: "100% Shop" }));
      const underscore = await addAccount(makeAccount(2, { name: "a_b" }));
      const backslash = await addAccount(makeAccount(3, { name: "back\\slash" }));
      const plain = await addAccount(makeAccount(4, { name: "100 Shop axb" }));

      expect(await search("%")).toEqual([percent]);
      expect(await search("0% S")).toEqual([percent]);
      expect(await search("_")).toEqual([underscore]);
      expect(await search("a_b")).toEqual([underscore]);
      expect(await search("\\")).toEqual([backslash]);
      expect(await search("k\\s")).toEqual([backslash]);
      expect(await search("100")).toEqual([plain, percent]);
    });

    it("keeps to an Acquiring Partner and its Partner Accounts, and pages newest first", async () => {
      const ap1 = await addAccount(makeAccount(1, { name: "Shop group one" }));
      const ap2 = await addAccount(makeAccount(2, { name: "Shop group two" }));
      const child = (n: number, parent: Account) =>
        makeAccount(n, { name: `Shop ${n}`, kind: "PARTNER_ACCOUNT", parentAccountId: parent.accountId });
      const pa3 = await addAccount(child(3, ap1));
      const pa4 = await addAccount(child(4, ap1));
      const pa5 = await addAccount(child(5, ap2));

      expect(await search("shop")).toEqual([pa5, pa4, pa3, ap2, ap1]);
      expect(await search("shop", ap1.accountId)).toEqual([pa4, pa3, ap1]);
      expect(await search(pa5.accountId, ap1.accountId)).toEqual([]);
      expect(await search(pa3.accountId, ap1.accountId)).toEqual([pa3]);
      expect(await search("shop", pa3.accountId)).toEqual([pa3]);

      const pages = await allPages(
        1,
        (page) => store.searchAccounts({ ...page, text: "shop", familyOf: ap1.accountId }),
        accountPosition,
      );
      expect(pages).toEqual([[pa4], [pa3], [ap1]]);
    });
  });

  it("createAccount refuses an account id already taken and changes nothing", async () => {
    const first = await addAccount(makeAccount(1));
    const eventsBefore = await auditOf(first.accountId);
    const impostor = makeAccount(1, { name: "Impostor" });
    const link = makeLink(1, first.accountId);
    await expect(
      store.createAccount({ account: impostor, link, audit: [makeAudit(first.accountId)] }),
    ).rejects.toThrow();
    expect(await store.findAccount(first.accountId)).toEqual(first);
    expect(await store.findOnboardingLink(link.tokenHash)).toBeNull();
    expect(await auditOf(first.accountId)).toEqual(eventsBefore);
  });

  describe("countPartnerAccounts", () => {
    it("counts an Acquiring Partner's Partner Accounts only", async () => {
      const parent = await addAccount(makeAccount(1));
      const other = await addAccount(makeAccount(2));
      expect(await store.countPartnerAccounts(parent.accountId)).toBe(0);
      for (const n of [3, 4]) {
        await addAccount(makeAccount(n, { kind: "PARTNER_ACCOUNT", parentAccountId: parent.accountId }));
      }
      await addAccount(makeAccount(5, { kind: "PARTNER_ACCOUNT", parentAccountId: other.accountId }));
      expect(await store.countPartnerAccounts(parent.accountId)).toBe(2);
      expect(await store.countPartnerAccounts(other.accountId)).toBe(1);
    });
  });
});
