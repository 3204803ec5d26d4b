import { expect, it } from "vitest";
import { accountId, at, DAY, makeAccount, makeAudit, makeCertificate } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** When an account starts requiring client certificates, and lifting that. */
export const mtlsEnforcement = contractArea("mtls-enforcement", "mTLS enforcement", (ctx) => {
  const { store, addAccount, addCertificate, auditOf } = ctx;

  function enforce(owner: string, enforcedFrom: Date | null) {
    return store.setMtlsEnforcement({
      accountId: owner,
      enforcedFrom,
      audit: makeAudit(owner, { action: enforcedFrom ? "mtls_enforcement.set" : "mtls_enforcement.lifted" }),
    });
  }

  it("setMtlsEnforcement sets, moves and lifts the instant, returns the account as stored, and writes each event", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const from = new Date("2026-04-01T00:00:00.123Z");

    const scheduled = await enforce(account.accountId, from);
    const expected = { ...account, security: { ...account.security, mtlsEnforcedFrom: from } };
    expect(scheduled).toEqual(expected);
    expect(scheduled.security.mtlsEnforcedFrom?.getTime()).toBe(from.getTime());
    expect(await store.findAccount(account.accountId)).toEqual(expected);

    expect((await enforce(account.accountId, at(0))).security.mtlsEnforcedFrom).toEqual(at(0));
    const lifted = await enforce(account.accountId, null);
    expect(lifted).toEqual(account);
    expect(await store.findAccount(account.accountId)).toEqual(account);

    expect(await store.findAccount(other.accountId)).toEqual(other);
    const actions = (await auditOf(account.accountId))
      .map((e) => e.action)
      .filter((a) => a.startsWith("mtls"));
    expect(actions).toEqual(["mtls_enforcement.lifted", "mtls_enforcement.set", "mtls_enforcement.set"]);
  });

  it("leaves the certificates and the rest of the account as they were", async () => {
    const account = await addAccount(
      makeAccount(1, {
        security: {
          ipRestriction: { mode: "REPORTING", allowedIps: ["192.0.2.1"] },
          mtlsEnforcedFrom: null,
          mtlsEnabled: false,
          rateLimits: { PARTNER_MANAGEMENT: "1/1s" },
        },
      }),
    );
    const certificate = await addCertificate(makeCertificate(1, account.accountId));
    const withCertificate = { ...account, security: { ...account.security, mtlsEnabled: true } };
    expect(await enforce(account.accountId, at(DAY))).toEqual({
      ...withCertificate,
      security: { ...withCertificate.security, mtlsEnforcedFrom: at(DAY) },
    });
    expect(await enforce(account.accountId, null)).toEqual(withCertificate);
    expect(await store.findClientCertificate(account.accountId, certificate.certificateId)).toEqual(
      certificate,
    );
  });

  it("refuses an unknown account and writes nothing", async () => {
    await expect(enforce(accountId(99), at(DAY))).rejects.toThrow();
    expect(await auditOf(accountId(99))).toEqual([]);
  });
});
