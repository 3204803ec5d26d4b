import { describe, expect, it } from "vitest";
import { at, credentialId, DAY, makeAccount, makeCredential } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Counting an account's credentials by status. */
export const credentialCounts = contractArea("credential-counts", "credential counts", (ctx) => {
  const { store, addAccount, addCredential } = ctx;

  describe("credential counts and the operator's listing", () => {
    it("countCredentialsByStatus counts every status, tombstones included; listCredentials includes DELETED when asked", async () => {
      const account = await addAccount(makeAccount(1));
      const other = await addAccount(makeAccount(2));
      expect(await store.countCredentialsByStatus(account.accountId)).toEqual({
        ACTIVE: 0,
        DISABLED: 0,
        DELETED: 0,
      });
      await addCredential(makeCredential(1, account.accountId));
      await addCredential(makeCredential(2, account.accountId));
      await addCredential(
        makeCredential(3, account.accountId, { status: "DISABLED", statusReason: "OPERATOR" }),
      );
      const deleted = await addCredential(
        makeCredential(4, account.accountId, { status: "DELETED", deletedAt: at(DAY) }),
      );
      await addCredential(makeCredential(5, other.accountId));
      expect(await store.countCredentialsByStatus(account.accountId)).toEqual({
        ACTIVE: 2,
        DISABLED: 1,
        DELETED: 1,
      });
      const page = { after: null, limit: 10 };
      const all = await store.listCredentials({
        accountId: account.accountId,
        includeDeleted: true,
        ...page,
      });
      expect(all.map((c) => c.credentialId)).toEqual([4, 3, 2, 1].map(credentialId));
      expect(all[0]).toEqual(deleted);
      const usual = await store.listCredentials({ accountId: account.accountId, ...page });
      expect(usual.map((c) => c.credentialId)).toEqual([3, 2, 1].map(credentialId));
      const onlyActive = await store.listCredentials({
        accountId: account.accountId,
        status: "ACTIVE",
        includeDeleted: true,
        ...page,
      });
      expect(onlyActive.map((c) => c.credentialId)).toEqual([2, 1].map(credentialId));
    });
  });
});
