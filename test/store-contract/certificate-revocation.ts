import { expect, it } from "vitest";
import type { ClientCertificate } from "../../src/domain/types.ts";
import { at, DAY, HOUR, MINUTE, makeAccount, makeAudit, makeCertificate } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Revoking a client certificate once, never leaving an account that enforces mTLS without a usable one unless allowed. */
export const certificateRevocation = contractArea(
  "certificate-revocation",
  "certificate revocation and mTLS lock-out",
  (ctx) => {
    const { store, addAccount, addCertificate, auditOf } = ctx;

    function revoke(certificate: ClientCertificate, options: { allowLockOut: boolean; at?: Date }) {
      return store.revokeClientCertificate({
        accountId: certificate.accountId,
        certificateId: certificate.certificateId,
        at: options.at ?? at(HOUR),
        allowLockOut: options.allowLockOut,
        audit: makeAudit(certificate.accountId, {
          action: "client_certificate.revoked",
          targetType: "CLIENT_CERTIFICATE",
          targetId: certificate.certificateId,
        }),
      });
    }

    async function enforce(owner: string, from: Date | null): Promise<void> {
      await store.setMtlsEnforcement({
        accountId: owner,
        enforcedFrom: from,
        audit: makeAudit(owner, { action: "mtls_enforcement.set" }),
      });
    }

    const revocations = async (owner: string) =>
      (await auditOf(owner)).filter((e) => e.action === "client_certificate.revoked").length;

    it("revokes once; an unknown or revoked certificate is NOT_REVOCABLE and writes nothing", async () => {
      const account = await addAccount(makeAccount(1));
      const certificate = await addCertificate(makeCertificate(1, account.accountId));
      const first = await revoke(certificate, { allowLockOut: false });
      expect(first).toEqual({ outcome: "REVOKED", certificate: { ...certificate, revokedAt: at(HOUR) } });
      expect(await revoke(certificate, { allowLockOut: true })).toEqual({ outcome: "NOT_REVOCABLE" });
      expect(await revoke(makeCertificate(9, account.accountId), { allowLockOut: true })).toEqual({
        outcome: "NOT_REVOCABLE",
      });
      expect(await revocations(account.accountId)).toBe(1);
    });

    it("refuses to revoke the last usable certificate while mTLS is enforced or scheduled, unless allowed", async () => {
      const account = await addAccount(makeAccount(1));
      const only = await addCertificate(makeCertificate(1, account.accountId));
      // Scheduled for later counts as enforcement.
      await enforce(account.accountId, at(DAY));
      expect(await revoke(only, { allowLockOut: false })).toEqual({ outcome: "WOULD_LOCK_OUT" });
      expect(
        (await store.findClientCertificate(account.accountId, only.certificateId))?.revokedAt,
      ).toBeNull();
      expect(await revocations(account.accountId)).toBe(0);

      const second = await addCertificate(makeCertificate(2, account.accountId));
      expect((await revoke(only, { allowLockOut: false })).outcome).toBe("REVOKED");
      expect(await revoke(second, { allowLockOut: false })).toEqual({ outcome: "WOULD_LOCK_OUT" });
      expect((await revoke(second, { allowLockOut: true })).outcome).toBe("REVOKED");
      expect(await revocations(account.accountId)).toBe(2);
    });

    it("lets an expired certificate or one of an account without enforcement go", async () => {
      const enforcing = await addAccount(makeAccount(1));
      const expired = await addCertificate(makeCertificate(1, enforcing.accountId, { notAfter: at(MINUTE) }));
      await enforce(enforcing.accountId, at(0));
      expect((await revoke(expired, { allowLockOut: false })).outcome).toBe("REVOKED");

      const relaxed = await addAccount(makeAccount(2));
      const last = await addCertificate(makeCertificate(2, relaxed.accountId));
      expect((await revoke(last, { allowLockOut: false })).outcome).toBe("REVOKED");
    });

    it("concurrent revocations of an enforcing account's last two certificates: exactly one succeeds", async () => {
      const pairs = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const account = await addAccount(makeAccount(i + 1));
          const a = await addCertificate(makeCertificate(2 * i + 1, account.accountId));
          const b = await addCertificate(makeCertificate(2 * i + 2, account.accountId));
          await enforce(account.accountId, at(0));
          return { account, a, b };
        }),
      );
      const outcomes = await Promise.all(
        pairs.map(({ a, b }) =>
          Promise.all([revoke(a, { allowLockOut: false }), revoke(b, { allowLockOut: false })]),
        ),
      );
      for (const [i, pair] of outcomes.entries()) {
        expect(pair.map((o) => o.outcome).sort(), `account ${i + 1}`).toEqual(["REVOKED", "WOULD_LOCK_OUT"]);
      }
      for (const { account } of pairs) {
        expect(await store.countUsableClientCertificates(account.accountId, at(HOUR))).toBe(1);
        expect(await revocations(account.accountId)).toBe(1);
      }
    });
  },
);
