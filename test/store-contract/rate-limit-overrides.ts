import { expect, it } from "vitest";
import { MAX_RATE_LIMIT_OVERRIDES } from "../../src/domain/rate-limit-overrides.ts";
import type { Account } from "../../src/domain/types.ts";
import { accountId, at, DAY, HOUR, makeAccount, makeAudit } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** An operator's rate-limit overrides of an account, changed under the account's lock. */
export const rateLimitOverrides = contractArea("rate-limit-overrides", "rate-limit overrides", (ctx) => {
  const { store, addAccount, auditOf } = ctx;

  function change(owner: string, changes: Record<string, string | null>) {
    return store.changeRateLimits({
      accountId: owner,
      changes,
      audit: makeAudit(owner, { action: "rate_limits.updated" }),
    });
  }

  const withLimits = (account: Account, rateLimits: Record<string, string>): Account => ({
    ...account,
    security: { ...account.security, rateLimits },
  });

  const limitEvents = async (owner: string) =>
    (await auditOf(owner)).filter((e) => e.action === "rate_limits.updated");

  it("changeRateLimits makes the changes to the overrides held, returns the account as stored, and writes its event", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const a = account.accountId;

    const first = await change(a, { PARTNER_MANAGEMENT: "100/1s", CREDENTIAL_MANAGEMENT: "20000/1h" });
    const both = withLimits(account, { PARTNER_MANAGEMENT: "100/1s", CREDENTIAL_MANAGEMENT: "20000/1h" });
    expect(first).toEqual({ outcome: "CHANGED", account: both });
    expect(await store.findAccount(a)).toEqual(both);

    // Categories not named keep their override; null returns one to the default.
    const second = await change(a, { CREDENTIAL_MANAGEMENT: null, AUTHENTICATION: "50/1s" });
    const next = withLimits(account, { PARTNER_MANAGEMENT: "100/1s", AUTHENTICATION: "50/1s" });
    expect(second).toEqual({ outcome: "CHANGED", account: next });
    expect(await store.findAccount(a)).toEqual(next);
    const cleared = await change(a, { PARTNER_MANAGEMENT: null, AUTHENTICATION: null, UNSET: null });
    expect(cleared).toEqual({ outcome: "CHANGED", account });

    expect(await store.findAccount(other.accountId)).toEqual(other);
    expect(await limitEvents(a)).toHaveLength(3);
  });

  it("refuses, changing nothing, more overrides than an account may hold", async () => {
    const account = await addAccount(makeAccount(1));
    const many = Object.fromEntries(
      Array.from({ length: MAX_RATE_LIMIT_OVERRIDES }, (_, i) => [`CATEGORY_${i}`, "10/1s"]),
    );
    const full = await change(account.accountId, many);
    expect(full.outcome).toBe("CHANGED");
    const eventsBefore = await auditOf(account.accountId);

    expect(await change(account.accountId, { ONE_MORE: "10/1s" })).toEqual({ outcome: "TOO_MANY" });
    expect(await store.findAccount(account.accountId)).toEqual(withLimits(account, many));
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);
    // Replacing one held already is no more.
    expect(
      (await change(account.accountId, { CATEGORY_0: "20/1s", CATEGORY_1: null, OTHER: "1/1s" })).outcome,
    ).toBe("CHANGED");
  });

  it("an unknown account is NOT_FOUND and nothing is written", async () => {
    expect(await change(accountId(99), { PARTNER_MANAGEMENT: "5/1s" })).toEqual({ outcome: "NOT_FOUND" });
    expect(await store.findAccount(accountId(99))).toBeNull();
    expect(await auditOf(accountId(99))).toEqual([]);
  });

  it("concurrent changes of different categories each keep their change", async () => {
    const account = await addAccount(makeAccount(1));
    const categories = Array.from({ length: 8 }, (_, i) => `CATEGORY_${i}`);
    const outcomes = await Promise.all(
      categories.map((c, i) => change(account.accountId, { [c]: `${i + 1}/1s` })),
    );
    expect(outcomes.every((o) => o.outcome === "CHANGED")).toBe(true);
    expect((await store.findAccount(account.accountId))?.security.rateLimits).toEqual(
      Object.fromEntries(categories.map((c, i) => [c, `${i + 1}/1s`])),
    );
    expect(await limitEvents(account.accountId)).toHaveLength(categories.length);
  });

  it("leaves the rest of the account as it was", async () => {
    const account = await addAccount(
      makeAccount(1, {
        security: {
          ipRestriction: { mode: "ENFORCED", allowedIps: ["192.0.2.0/24"] },
          mtlsEnforcedFrom: at(DAY),
          mtlsEnabled: true,
          rateLimits: { PARTNER_MANAGEMENT: "1/1s" },
        },
        suspension: { at: at(HOUR), reason: "review" },
      }),
    );
    expect(await change(account.accountId, { CREDENTIAL_MANAGEMENT: "5/1s" })).toEqual({
      outcome: "CHANGED",
      account: withLimits(account, { PARTNER_MANAGEMENT: "1/1s", CREDENTIAL_MANAGEMENT: "5/1s" }),
    });
  });
});
