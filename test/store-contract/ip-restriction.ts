import { expect, it } from "vitest";
import type { IpRestriction } from "../../src/domain/ip-allow-list.ts";
import { accountId, at, DAY, HOUR, makeAccount, makeAudit } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** An account's IP allow-list and its enforcement mode. */
export const ipRestriction = contractArea("ip-restriction", "IP restriction", (ctx) => {
  const { store, addAccount, auditOf } = ctx;

  function restrict(owner: string, restriction: IpRestriction) {
    return store.updateIpRestriction({
      accountId: owner,
      restriction,
      audit: makeAudit(owner, { action: "ip_restriction.updated", statusAfter: restriction.mode }),
    });
  }

  it("updateIpRestriction stores the mode and addresses, returns the account as stored, and writes its event", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const reporting: IpRestriction = {
      mode: "REPORTING",
      allowedIps: ["192.0.2.0/24", "2001:db8::/32", "198.51.100.7"],
    };

    const updated = await restrict(account.accountId, reporting);
    const expected = { ...account, security: { ...account.security, ipRestriction: reporting } };
    expect(updated).toEqual(expected);
    expect(await store.findAccount(account.accountId)).toEqual(expected);

    const enforced = await restrict(account.accountId, { mode: "ENFORCED", allowedIps: ["198.51.100.7"] });
    expect(enforced.security.ipRestriction).toEqual({ mode: "ENFORCED", allowedIps: ["198.51.100.7"] });
    const lifted = await restrict(account.accountId, { mode: "NOT_ENABLED", allowedIps: [] });
    expect(lifted).toEqual(account);

    expect(await store.findAccount(other.accountId)).toEqual(other);
    const events = (await auditOf(account.accountId)).filter((e) => e.action === "ip_restriction.updated");
    expect(events.map((e) => e.statusAfter)).toEqual(["NOT_ENABLED", "ENFORCED", "REPORTING"]);
  });

  it("leaves the rest of the account as it was", async () => {
    const account = await addAccount(
      makeAccount(1, {
        security: {
          ipRestriction: { mode: "REPORTING", allowedIps: ["192.0.2.1"] },
          mtlsEnforcedFrom: at(DAY),
          mtlsEnabled: true,
          rateLimits: { PARTNER_MANAGEMENT: "1/1s" },
        },
        suspension: { at: at(HOUR), reason: "review" },
      }),
    );
    const restriction: IpRestriction = { mode: "ENFORCED", allowedIps: ["192.0.2.1"] };
    expect(await restrict(account.accountId, restriction)).toEqual({
      ...account,
      security: { ...account.security, ipRestriction: restriction },
    });
  });

  it("refuses an unknown account and writes nothing", async () => {
    await expect(restrict(accountId(99), { mode: "ENFORCED", allowedIps: ["192.0.2.1"] })).rejects.toThrow();
    expect(await auditOf(accountId(99))).toEqual([]);
  });
});
