import { expect, it } from "vitest";
import {
  at,
  MINUTE,
  makeAccount,
  makeAudit,
  makeCredential,
  makeIdempotency,
  makeSecret,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Changes made under an idempotency key mark it APPLIED in their own transaction, or make no change at all. */
export const idempotencyMarks = contractArea("idempotency-marks", "idempotency marks", (ctx) => {
  const { store, addAccount } = ctx;

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
});
