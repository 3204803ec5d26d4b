import { expect, it } from "vitest";
import { accountId, at, HOUR, makeAccount, makeAudit, makeCredential } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** An operator's suspension of an account, and its resumption: guarded, each with its event. */
export const accountSuspension = contractArea("account-suspension", "suspension", (ctx) => {
  const { store, addAccount, addCredential, auditOf } = ctx;

  it("suspendAccount acts once, keeps time and reason, and writes one audit event; resumeAccount undoes it once", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const suspended = await store.suspendAccount({
      accountId: account.accountId,
      at: at(HOUR),
      reason: "fraud review",
      audit: makeAudit(account.accountId, { action: "account.suspended", occurredAt: at(HOUR) }),
    });
    expect(suspended).toEqual({ ...account, suspension: { at: at(HOUR), reason: "fraud review" } });
    expect(await store.findAccount(account.accountId)).toEqual(suspended);
    expect(await store.findAccount(other.accountId)).toEqual(other);

    const again = await store.suspendAccount({
      accountId: account.accountId,
      at: at(2 * HOUR),
      reason: "second",
      audit: makeAudit(account.accountId, { action: "account.suspended" }),
    });
    expect(again).toBeNull();
    expect((await store.findAccount(account.accountId))?.suspension).toEqual({
      at: at(HOUR),
      reason: "fraud review",
    });
    expect((await auditOf(account.accountId)).filter((e) => e.action === "account.suspended")).toHaveLength(
      1,
    );

    const resumed = await store.resumeAccount({
      accountId: account.accountId,
      audit: makeAudit(account.accountId, { action: "account.resumed" }),
    });
    expect(resumed).toEqual(account);
    expect(
      await store.resumeAccount({
        accountId: account.accountId,
        audit: makeAudit(account.accountId, { action: "account.resumed" }),
      }),
    ).toBeNull();
    expect((await auditOf(account.accountId)).filter((e) => e.action === "account.resumed")).toHaveLength(1);
  });

  it("a suspension without a reason round-trips, leaves credentials alone, and unknown accounts are null", async () => {
    const account = await addAccount(makeAccount(1));
    const active = await addCredential(makeCredential(1, account.accountId));
    const disabled = await addCredential(
      makeCredential(2, account.accountId, {
        status: "DISABLED",
        statusReason: "PARTNER",
        disabledAt: at(HOUR),
      }),
    );
    await store.suspendAccount({
      accountId: account.accountId,
      at: at(HOUR),
      reason: null,
      audit: makeAudit(account.accountId, { action: "account.suspended" }),
    });
    expect((await store.findAccount(account.accountId))?.suspension).toEqual({
      at: at(HOUR),
      reason: null,
    });
    expect(await store.findCredential(account.accountId, active.credentialId)).toEqual(active);
    expect(await store.findCredential(account.accountId, disabled.credentialId)).toEqual(disabled);
    const listed = await store.listAccounts({ after: null, limit: 10 });
    expect(listed[0]?.suspension).toEqual({ at: at(HOUR), reason: null });
    expect(
      await store.suspendAccount({
        accountId: accountId(99),
        at: at(HOUR),
        reason: null,
        audit: makeAudit(accountId(99)),
      }),
    ).toBeNull();
    expect(
      await store.resumeAccount({ accountId: accountId(99), audit: makeAudit(accountId(99)) }),
    ).toBeNull();
  });
});
