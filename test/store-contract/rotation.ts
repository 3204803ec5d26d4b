import { expect, it } from "vitest";
import type { Credential } from "../../src/domain/types.ts";
import type { Rotation } from "../../src/store/port.ts";
import { at, DAY, HOUR, makeAccount, makeAudit, makeCredential, makeSecret } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Rotation: the successor stored and the old credential's end scheduled in one guarded change. */
export const rotation = contractArea("rotation", "rotateCredential", (ctx) => {
  const { store, addAccount, addCredential, auditOf } = ctx;

  /** A rotation of the credential into a successor numbered `successorN`, at `when`. */
  function rotation(
    old: Credential,
    successorN: number,
    options: { when?: Date; overlapMs?: number; end?: Rotation["rotationEnd"] } = {},
  ): Rotation {
    const when = options.when ?? at(HOUR);
    const overlapMs = options.overlapMs ?? DAY;
    const successor = makeCredential(successorN, old.accountId, {
      createdAt: when,
      activityAt: when,
      rotatedFrom: old.credentialId,
      permissions: old.permissions,
    });
    return {
      accountId: old.accountId,
      credentialId: old.credentialId,
      successor: { credential: successor, secret: makeSecret(successorN) },
      expiresAt: new Date(when.getTime() + overlapMs),
      rotationEnd: options.end ?? "AT_EXPIRY",
      disableNow: overlapMs === 0,
      at: when,
      audit: [
        makeAudit(old.accountId, {
          action: "credential.rotated",
          targetType: "CREDENTIAL",
          targetId: old.credentialId,
          occurredAt: when,
        }),
        makeAudit(old.accountId, {
          action: "credential.created",
          targetType: "CREDENTIAL",
          targetId: successor.credentialId,
          occurredAt: when,
        }),
      ],
    };
  }

  it("stores the successor and schedules the old credential's end, with both audit events", async () => {
    const account = await addAccount(makeAccount(1));
    const old = await addCredential(makeCredential(1, account.accountId, { permissions: ["payments"] }));
    const change = rotation(old, 2, { end: "WHEN_OLD_KEY_IDLE" });

    const returned = await store.rotateCredential(change);

    const scheduled = {
      ...old,
      rotatedTo: change.successor.credential.credentialId,
      expiresAt: change.expiresAt,
      rotationEnd: "WHEN_OLD_KEY_IDLE",
    };
    expect(returned).toEqual(scheduled);
    expect(await store.findCredential(account.accountId, old.credentialId)).toEqual(scheduled);
    const successor = change.successor.credential;
    expect(await store.findCredential(account.accountId, successor.credentialId)).toEqual(successor);
    expect(await store.findCredentialByLookupId(successor.lookupId)).toEqual(change.successor);
    const events = await auditOf(account.accountId);
    expect(events).toEqual(expect.arrayContaining(change.audit));
    expect(events).toHaveLength(4);
  });

  it("a zero overlap disables the old credential in the same change", async () => {
    const account = await addAccount(makeAccount(1));
    const old = await addCredential(makeCredential(1, account.accountId));
    const change = rotation(old, 2, { overlapMs: 0 });

    const returned = await store.rotateCredential(change);

    const disabled = {
      ...old,
      status: "DISABLED",
      statusReason: "ROTATED",
      disabledAt: change.at,
      rotatedTo: change.successor.credential.credentialId,
      expiresAt: change.at,
      rotationEnd: "AT_EXPIRY",
    };
    expect(returned).toEqual(disabled);
    expect(await store.findCredential(account.accountId, old.credentialId)).toEqual(disabled);
    expect(
      (await store.findCredential(account.accountId, change.successor.credential.credentialId))?.status,
    ).toBe("ACTIVE");
  });

  it("refuses (null, nothing written) a credential that is not ACTIVE, already rotating, unknown or another account's", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const a = account.accountId;
    const disabled = await addCredential(
      makeCredential(1, a, { status: "DISABLED", statusReason: "PARTNER", disabledAt: at(0) }),
    );
    const deleted = await addCredential(makeCredential(2, a, { status: "DELETED", statusReason: "PARTNER" }));
    const active = await addCredential(makeCredential(3, a));
    await store.rotateCredential(rotation(active, 4));
    const rotating = await store.findCredential(a, active.credentialId);
    if (!rotating) throw new Error("expected the rotated credential");
    const fresh = await addCredential(makeCredential(5, a));
    const eventsBefore = await auditOf(a);
    const credentialsBefore = await store.listCredentials({
      accountId: a,
      includeDeleted: true,
      after: null,
      limit: 100,
    });

    const refusals: Rotation[] = [
      rotation(disabled, 10),
      rotation(deleted, 11),
      rotation(rotating, 12),
      rotation(makeCredential(99, a), 13),
      { ...rotation(fresh, 14), accountId: other.accountId },
    ];
    for (const refused of refusals) {
      expect(await store.rotateCredential(refused)).toBeNull();
      expect(await store.findCredentialByLookupId(refused.successor.credential.lookupId)).toBeNull();
    }
    expect(
      await store.listCredentials({ accountId: a, includeDeleted: true, after: null, limit: 100 }),
    ).toEqual(credentialsBefore);
    expect(await auditOf(a)).toEqual(eventsBefore);
    expect(await auditOf(other.accountId)).toHaveLength(1);
  });

  it("is atomic: when the successor cannot be stored, the old credential is left as it was", async () => {
    const account = await addAccount(makeAccount(1));
    const old = await addCredential(makeCredential(1, account.accountId));
    const taken = await addCredential(makeCredential(2, account.accountId));
    const eventsBefore = await auditOf(account.accountId);
    const change = rotation(old, 3);
    const clashing = {
      ...change,
      successor: {
        ...change.successor,
        credential: { ...change.successor.credential, lookupId: taken.lookupId },
      },
    };

    await expect(store.rotateCredential(clashing)).rejects.toThrow();

    expect(await store.findCredential(account.accountId, old.credentialId)).toEqual(old);
    expect(
      await store.findCredential(account.accountId, change.successor.credential.credentialId),
    ).toBeNull();
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);
    expect(await store.rotateCredential(change)).not.toBeNull();
  });

  it("concurrent rotations of one credential: exactly one wins and one successor is stored", async () => {
    const account = await addAccount(makeAccount(1));
    const old = await addCredential(makeCredential(1, account.accountId));
    const changes = Array.from({ length: 6 }, (_, i) => rotation(old, 10 + i, { when: at(HOUR + i) }));

    const results = await Promise.all(changes.map((change) => store.rotateCredential(change)));

    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const successors = await store.listCredentials({ accountId: account.accountId, after: null, limit: 100 });
    expect(successors.filter((c) => c.rotatedFrom === old.credentialId)).toHaveLength(1);
    expect(winners[0]?.rotatedTo).toBe(
      successors.find((c) => c.rotatedFrom === old.credentialId)?.credentialId,
    );
    expect((await auditOf(account.accountId)).filter((e) => e.action === "credential.rotated")).toHaveLength(
      1,
    );
  });
});
