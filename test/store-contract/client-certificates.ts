import { expect, it } from "vitest";
import { accountId, at, DAY, HOUR, MINUTE, makeAccount, makeCertificate } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Client certificates: judged usable at an instant. */
export const clientCertificates = contractArea("client-certificates", "client certificates", (ctx) => {
  const { store, addAccount, addCertificate } = ctx;

  it("countUsableClientCertificates counts only certificates not revoked and within validity", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    await addCertificate(makeCertificate(1, account.accountId));
    await addCertificate(makeCertificate(2, account.accountId, { notAfter: at(HOUR) }));
    await addCertificate(makeCertificate(3, account.accountId, { notBefore: at(2 * DAY) }));
    await addCertificate(makeCertificate(4, account.accountId, { revokedAt: at(MINUTE) }));
    await addCertificate(makeCertificate(5, other.accountId));
    expect(await store.countUsableClientCertificates(account.accountId, at(MINUTE))).toBe(2);
    expect(await store.countUsableClientCertificates(account.accountId, at(HOUR))).toBe(1);
    expect(await store.countUsableClientCertificates(account.accountId, at(3 * DAY))).toBe(2);
    expect(await store.countUsableClientCertificates(accountId(99), at(MINUTE))).toBe(0);
  });
});
