import { expect, it } from "vitest";
import type { Page } from "../../src/store/port.ts";
import { accountId, at, DAY, HOUR, MINUTE, makeAccount, makeAudit, makeCertificate } from "./fixtures.ts";
import { contractArea } from "./harness.ts";
import { allPages, certificatePosition, expectPagesCover, newestFirst } from "./paging.ts";

/** Client certificates: issued, found by account or fingerprint, listed, and judged usable at an instant. */
export const clientCertificates = contractArea("client-certificates", "client certificates", (ctx) => {
  const { store, addAccount, addCertificate, auditOf } = ctx;

  it("insertClientCertificate stores the certificate with its event and marks the account mTLS-enabled", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const certificate = makeCertificate(1, account.accountId, {
      description: "Kassensystem — Filiale 3",
      notBefore: new Date("2026-03-01T12:00:00.001Z"),
      notAfter: new Date("2027-03-01T12:00:00.999Z"),
    });
    const audit = makeAudit(account.accountId, {
      action: "client_certificate.created",
      targetType: "CLIENT_CERTIFICATE",
      targetId: certificate.certificateId,
      statusAfter: "VALID",
    });

    await store.insertClientCertificate({ certificate, audit });

    expect(await store.findClientCertificate(account.accountId, certificate.certificateId)).toEqual(
      certificate,
    );
    expect(await store.findAccount(account.accountId)).toEqual({
      ...account,
      security: { ...account.security, mtlsEnabled: true },
    });
    expect(await store.findAccount(other.accountId)).toEqual(other);
    expect(await auditOf(account.accountId)).toContainEqual(audit);
  });

  it("insertClientCertificate is atomic: when the audit insert fails, neither certificate nor flag remains", async () => {
    const account = await addAccount(makeAccount(1));
    const [existing] = await auditOf(account.accountId);
    if (!existing) throw new Error("expected the creation audit event");
    const certificate = makeCertificate(1, account.accountId);
    await expect(store.insertClientCertificate({ certificate, audit: existing })).rejects.toThrow();
    expect(await store.findClientCertificate(account.accountId, certificate.certificateId)).toBeNull();
    expect(await store.findAccount(account.accountId)).toEqual(account);
  });

  it("findClientCertificate is scoped by account; findClientCertificateByFingerprint finds any account's, revoked ones too", async () => {
    const mine = await addAccount(makeAccount(1));
    const theirs = await addAccount(makeAccount(2));
    const certificate = await addCertificate(makeCertificate(1, mine.accountId));
    const revoked = await addCertificate(makeCertificate(2, theirs.accountId, { revokedAt: at(HOUR) }));

    expect(await store.findClientCertificate(mine.accountId, certificate.certificateId)).toEqual(certificate);
    expect(await store.findClientCertificate(theirs.accountId, certificate.certificateId)).toBeNull();
    expect(
      await store.findClientCertificate(mine.accountId, makeCertificate(9, mine.accountId).certificateId),
    ).toBeNull();
    expect(await store.findClientCertificateByFingerprint(certificate.fingerprintSha256)).toEqual(
      certificate,
    );
    expect(await store.findClientCertificateByFingerprint(revoked.fingerprintSha256)).toEqual(revoked);
    expect(await store.findClientCertificateByFingerprint("no-such-fingerprint")).toBeNull();
  });

  it("a fingerprint belongs to one certificate: a second one with it is refused", async () => {
    const account = await addAccount(makeAccount(1));
    const first = await addCertificate(makeCertificate(1, account.accountId));
    const copy = makeCertificate(2, account.accountId, { fingerprintSha256: first.fingerprintSha256 });
    await expect(addCertificate(copy)).rejects.toThrow();
    expect(await store.findClientCertificateByFingerprint(first.fingerprintSha256)).toEqual(first);
    expect(await store.findClientCertificate(account.accountId, copy.certificateId)).toBeNull();
  });

  it("listClientCertificates lists the account's certificates newest first, paging without overlap across ties", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const minutes = [4, 2, 4, 1, 2, 4];
    const certificates = minutes.map((m, i) =>
      makeCertificate(i + 1, account.accountId, {
        createdAt: at(m * MINUTE),
        revokedAt: i === 2 ? at(HOUR) : null,
      }),
    );
    for (const i of [5, 0, 3, 1, 4, 2]) {
      const certificate = certificates[i];
      if (certificate) await addCertificate(certificate);
    }
    await addCertificate(makeCertificate(7, other.accountId, { createdAt: at(3 * MINUTE) }));
    const expected = newestFirst(certificates, certificatePosition);
    const list = (page: Page) => store.listClientCertificates({ accountId: account.accountId, ...page });

    expect(await list({ after: null, limit: 100 })).toEqual(expected);
    for (const limit of [1, 2, 4]) {
      expectPagesCover(await allPages(limit, list, certificatePosition), expected, limit);
    }
    expect(await store.listClientCertificates({ accountId: accountId(99), after: null, limit: 10 })).toEqual(
      [],
    );
  });

  it("hasUsableClientCertificate: a certificate not revoked, from notBefore up to (not including) notAfter", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const usable = (now: Date) => store.hasUsableClientCertificate(account.accountId, now);
    expect(await usable(at(HOUR))).toBe(false);

    await addCertificate(
      makeCertificate(1, account.accountId, { notBefore: at(DAY), notAfter: at(2 * DAY) }),
    );
    await addCertificate(
      makeCertificate(2, account.accountId, { revokedAt: at(0), notBefore: at(0), notAfter: at(9 * DAY) }),
    );
    await addCertificate(makeCertificate(3, other.accountId, { notBefore: at(0), notAfter: at(9 * DAY) }));
    expect(await usable(at(DAY - 1))).toBe(false);
    expect(await usable(at(DAY))).toBe(true);
    expect(await usable(at(2 * DAY - 1))).toBe(true);
    expect(await usable(at(2 * DAY))).toBe(false);
    expect(await store.hasUsableClientCertificate(accountId(99), at(DAY))).toBe(false);
  });

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
