import { expect, it } from "vitest";
import type { Credential } from "../../src/domain/types.ts";
import {
  at,
  credentialId,
  DAY,
  HOUR,
  MINUTE,
  makeAccount,
  makeClientCredential,
  makeCredential,
  makeSecret,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** The batched last-use write, which also moves the inactivity clock. */
export const credentialUses = contractArea("credential-uses", "recordCredentialUses", (ctx) => {
  const { store, addAccount, addCredential } = ctx;

  it("sets last_used_at and never moves it backwards", async () => {
    const account = await addAccount(makeAccount(1));
    const c1 = await addCredential(makeCredential(1, account.accountId), makeSecret(1));
    const c2 = await addCredential(makeClientCredential(2, account.accountId));
    const c3 = await addCredential(makeCredential(3, account.accountId), makeSecret(3));
    const lastUsed = async (c: Credential) =>
      (await store.findCredential(c.accountId, c.credentialId))?.lastUsedAt ?? null;

    await store.recordCredentialUses([
      {
        credentialId: c1.credentialId,
        accountId: account.accountId,
        usedAt: at(HOUR),
        sourceIp: "203.0.113.7",
      },
      { credentialId: c2.credentialId, accountId: account.accountId, usedAt: at(2 * HOUR), sourceIp: null },
    ]);
    expect(await lastUsed(c1)).toEqual(at(HOUR));
    expect(await lastUsed(c2)).toEqual(at(2 * HOUR));
    expect(await lastUsed(c3)).toBeNull();

    await store.recordCredentialUses([
      {
        credentialId: c1.credentialId,
        accountId: account.accountId,
        usedAt: at(30 * MINUTE),
        sourceIp: null,
      },
    ]);
    expect(await lastUsed(c1)).toEqual(at(HOUR));

    await store.recordCredentialUses([
      { credentialId: c1.credentialId, accountId: account.accountId, usedAt: at(3 * HOUR), sourceIp: null },
    ]);
    expect(await lastUsed(c1)).toEqual(at(3 * HOUR));

    await store.recordCredentialUses([
      { credentialId: c2.credentialId, accountId: account.accountId, usedAt: at(5 * HOUR), sourceIp: null },
      { credentialId: c2.credentialId, accountId: account.accountId, usedAt: at(4 * HOUR), sourceIp: null },
    ]);
    expect(await lastUsed(c2)).toEqual(at(5 * HOUR));
    expect(await lastUsed(c1)).toEqual(at(3 * HOUR));
  });

  it("an empty batch is a no-op", async () => {
    const account = await addAccount(makeAccount(1));
    const credential = await addCredential(makeCredential(1, account.accountId, { lastUsedAt: at(HOUR) }));
    await expect(store.recordCredentialUses([])).resolves.toBeUndefined();
    expect(await store.findCredential(account.accountId, credential.credentialId)).toEqual(credential);
  });

  it("a use moves the inactivity clock forward, never back, and an unknown credential is ignored", async () => {
    const account = await addAccount(makeAccount(1));
    const credential = await addCredential(
      makeCredential(1, account.accountId, { createdAt: at(0), activityAt: at(10 * DAY) }),
    );
    const found = () => store.findCredential(account.accountId, credential.credentialId);

    await store.recordCredentialUses([
      {
        credentialId: credential.credentialId,
        accountId: account.accountId,
        usedAt: at(DAY),
        sourceIp: null,
      },
      { credentialId: credentialId(99), accountId: account.accountId, usedAt: at(DAY), sourceIp: null },
    ]);
    expect(await found()).toEqual({ ...credential, lastUsedAt: at(DAY) });

    await store.recordCredentialUses([
      {
        credentialId: credential.credentialId,
        accountId: account.accountId,
        usedAt: at(20 * DAY),
        sourceIp: "198.51.100.7",
      },
    ]);
    expect(await found()).toEqual({ ...credential, lastUsedAt: at(20 * DAY), activityAt: at(20 * DAY) });
  });
});
