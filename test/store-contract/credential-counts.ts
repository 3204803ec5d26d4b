import { describe, expect, it } from "vitest";
import type { Credential } from "../../src/domain/types.ts";
import {
  at,
  credentialId,
  DAY,
  makeAccount,
  makeClientCredential,
  makeCredential,
  makeSecret,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Counting an account's credentials by status, and creating one only while under a cap. */
export const credentialCounts = contractArea("credential-counts", "credential counts and caps", (ctx) => {
  const { store, addAccount, addCredential, auditOf, statusAudit } = ctx;

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

  describe("insertCredential with activeAtMost", () => {
    it("stores the credential only while the account holds fewer ACTIVE ones of its type and environment", async () => {
      const account = await addAccount(makeAccount(1));
      const a = account.accountId;
      const insert = (credential: Credential) =>
        store.insertCredential({
          credential,
          secret: null,
          activeAtMost: 2,
          audit: statusAudit(credential, "credential.created", credential.createdAt),
        });

      expect(await insert(makeClientCredential(1, a))).toBe(true);
      // Neither another environment, another type, a DISABLED nor a DELETED credential counts.
      await addCredential(makeClientCredential(2, a, { environment: "TEST" }));
      await addCredential(makeCredential(3, a), makeSecret(3));
      await addCredential(makeClientCredential(4, a, { status: "DISABLED", statusReason: "PARTNER" }));
      await addCredential(makeClientCredential(5, a, { status: "DELETED", statusReason: "PARTNER" }));
      expect(await insert(makeClientCredential(6, a))).toBe(true);
      const eventsBefore = await auditOf(a);

      const over = makeClientCredential(7, a);
      expect(await insert(over)).toBe(false);
      expect(await store.findCredential(a, over.credentialId)).toBeNull();
      expect(await store.findCredentialByLookupId(over.lookupId)).toBeNull();
      expect(await auditOf(a)).toEqual(eventsBefore);
      expect((await store.countCredentialsByStatus(a)).ACTIVE).toBe(4);
    });

    it("concurrent creations under a cap of one: exactly one is stored", async () => {
      const account = await addAccount(makeAccount(1));
      const attempts = Array.from({ length: 6 }, (_, i) => makeClientCredential(i + 1, account.accountId));
      const stored = await Promise.all(
        attempts.map((credential) =>
          store.insertCredential({
            credential,
            secret: null,
            activeAtMost: 1,
            audit: statusAudit(credential, "credential.created", credential.createdAt),
          }),
        ),
      );
      expect(stored.filter(Boolean)).toHaveLength(1);
      const active = await store.listCredentials({
        accountId: account.accountId,
        status: "ACTIVE",
        after: null,
        limit: 10,
      });
      expect(active).toHaveLength(1);
      expect(
        (await auditOf(account.accountId)).filter((e) => e.action === "credential.created"),
      ).toHaveLength(1);
    });
  });
});
