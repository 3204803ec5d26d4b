import { expect, it } from "vitest";
import type { ClientCertificate } from "../../src/domain/types.ts";
import type { Rotation } from "../../src/store/port.ts";
import {
  at,
  credentialId,
  DAY,
  HOUR,
  MINUTE,
  makeAccount,
  makeAudit,
  makeCertificate,
  makeCredential,
  makeIdempotency,
  makeLink,
  makeSecret,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Changes made under an idempotency key mark it APPLIED in their own transaction, or make no change at all. */
export const idempotencyMarks = contractArea("idempotency-marks", "idempotency marks", (ctx) => {
  const { store, addAccount, addCredential, auditOf, statusAudit } = ctx;

  it("marks a key APPLIED with the change it was reserved for, and refuses a change whose key was taken over", async () => {
    const account = await addAccount(makeAccount(1));
    const first = makeIdempotency("key-taken", { createdAt: at(0) });
    expect(await store.reserveIdempotencyKey(first)).toBeNull();
    // A retry takes the key over after the first request seemed to have died.
    const second = makeIdempotency("key-taken", { createdAt: at(2 * MINUTE) });
    expect(await store.reserveIdempotencyKey(second, at(MINUTE))).toBeNull();
    const late = makeCredential(1, account.accountId);
    await expect(
      store.insertCredential({
        credential: late,
        secret: makeSecret(1),
        audit: makeAudit(account.accountId, { targetType: "CREDENTIAL", targetId: late.credentialId }),
        idempotency: { keyHash: "key-taken", reservedAt: at(0), resourceId: late.credentialId },
      }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_IN_USE" });
    expect(await store.findCredential(account.accountId, late.credentialId)).toBeNull();
    const current = makeCredential(2, account.accountId);
    await store.insertCredential({
      credential: current,
      secret: makeSecret(2),
      audit: makeAudit(account.accountId, { targetType: "CREDENTIAL", targetId: current.credentialId }),
      idempotency: { keyHash: "key-taken", reservedAt: at(2 * MINUTE), resourceId: current.credentialId },
    });
    const again = await store.reserveIdempotencyKey(
      makeIdempotency("key-taken", { createdAt: at(3 * MINUTE) }),
      at(2 * MINUTE + 1),
    );
    expect(again).toMatchObject({ state: "APPLIED", resourceId: current.credentialId });
  });

  /** Reserves the key at the base instant; a retry takes it over two minutes later, deeming it abandoned. */
  async function takenOver(keyHash: string): Promise<{ stale: Date; current: Date }> {
    await store.reserveIdempotencyKey(makeIdempotency(keyHash, { createdAt: at(0) }));
    await store.reserveIdempotencyKey(makeIdempotency(keyHash, { createdAt: at(2 * MINUTE) }), at(MINUTE));
    return { stale: at(0), current: at(2 * MINUTE) };
  }

  const recordOf = (keyHash: string) =>
    store.reserveIdempotencyKey(makeIdempotency(keyHash, { createdAt: at(3 * MINUTE) }));

  it("createAccount marks its key APPLIED with the account, or changes nothing when the key was taken over", async () => {
    const { stale, current } = await takenOver("key-account");
    const late = makeAccount(1);
    const link = makeLink(1, late.accountId);
    await expect(
      store.createAccount({
        account: late,
        link,
        audit: [makeAudit(late.accountId)],
        idempotency: { keyHash: "key-account", reservedAt: stale, resourceId: late.accountId },
      }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_IN_USE" });
    expect(await store.findAccount(late.accountId)).toBeNull();
    expect(await store.findOnboardingLink(link.tokenHash)).toBeNull();
    expect(await auditOf(late.accountId)).toEqual([]);

    const account = makeAccount(2);
    await store.createAccount({
      account,
      link: null,
      audit: [makeAudit(account.accountId)],
      idempotency: { keyHash: "key-account", reservedAt: current, resourceId: account.accountId },
    });
    expect(await store.findAccount(account.accountId)).toEqual(account);
    expect(await recordOf("key-account")).toMatchObject({ state: "APPLIED", resourceId: account.accountId });
  });

  it("insertClientCertificate marks its key APPLIED with the certificate, or changes nothing when the key was taken over", async () => {
    const account = await addAccount(makeAccount(1));
    const { stale, current } = await takenOver("key-certificate");
    const audit = (certificate: ClientCertificate) =>
      makeAudit(account.accountId, { targetType: "CLIENT_CERTIFICATE", targetId: certificate.certificateId });
    const late = makeCertificate(1, account.accountId);
    await expect(
      store.insertClientCertificate({
        certificate: late,
        audit: audit(late),
        idempotency: { keyHash: "key-certificate", reservedAt: stale, resourceId: late.certificateId },
      }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_IN_USE" });
    expect(await store.findClientCertificate(account.accountId, late.certificateId)).toBeNull();
    expect((await store.findAccount(account.accountId))?.security.mtlsEnabled).toBe(false);

    const certificate = makeCertificate(2, account.accountId);
    await store.insertClientCertificate({
      certificate,
      audit: audit(certificate),
      idempotency: { keyHash: "key-certificate", reservedAt: current, resourceId: certificate.certificateId },
    });
    expect(await store.findClientCertificate(account.accountId, certificate.certificateId)).toEqual(
      certificate,
    );
    expect(await recordOf("key-certificate")).toMatchObject({
      state: "APPLIED",
      resourceId: certificate.certificateId,
    });
  });

  it("rotateCredential marks its key APPLIED with the successor, or changes nothing when the key was taken over", async () => {
    const account = await addAccount(makeAccount(1));
    const old = await addCredential(makeCredential(1, account.accountId));
    const { stale, current } = await takenOver("key-rotation");
    const rotation = (successorN: number, reservedAt: Date): Rotation => {
      const successor = makeCredential(successorN, account.accountId, { rotatedFrom: old.credentialId });
      return {
        accountId: account.accountId,
        credentialId: old.credentialId,
        successor: { credential: successor, secret: makeSecret(successorN) },
        expiresAt: at(DAY),
        rotationEnd: "AT_EXPIRY",
        disableNow: false,
        at: at(HOUR),
        audit: [statusAudit(old, "credential.rotated", at(HOUR))],
        idempotency: { keyHash: "key-rotation", reservedAt, resourceId: successor.credentialId },
      };
    };
    const eventsBefore = await auditOf(account.accountId);

    await expect(store.rotateCredential(rotation(2, stale))).rejects.toMatchObject({
      code: "IDEMPOTENCY_KEY_IN_USE",
    });
    expect(await store.findCredential(account.accountId, old.credentialId)).toEqual(old);
    expect(await store.findCredential(account.accountId, credentialId(2))).toBeNull();
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);

    expect(await store.rotateCredential(rotation(3, current))).toMatchObject({ rotatedTo: credentialId(3) });
    expect(await recordOf("key-rotation")).toMatchObject({ state: "APPLIED", resourceId: credentialId(3) });
  });
});
