import { expect, it } from "vitest";
import type { Credential } from "../../src/domain/types.ts";
import { at, HOUR, makeAccount, makeAudit, makeCredential, makeSecret } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Guarded changes of one credential: disable, enable, describe. Each acts once and reports whether it did. */
export const credentialStatus = contractArea("credential-status", "guarded status changes", (ctx) => {
  const { store, addAccount, addCredential, auditOf, statusAudit } = ctx;

  async function activeCredential(): Promise<Credential> {
    const account = await addAccount(makeAccount(1));
    return addCredential(makeCredential(1, account.accountId), makeSecret(1));
  }

  it("disableActiveCredential acts once and writes one audit event", async () => {
    const credential = await activeCredential();
    const audit = statusAudit(credential, "credential.disabled", at(HOUR));
    const disabled = await store.disableActiveCredential({
      accountId: credential.accountId,
      credentialId: credential.credentialId,
      at: at(HOUR),
      reason: "PARTNER",
      audit,
    });
    const expected = { ...credential, status: "DISABLED", statusReason: "PARTNER", disabledAt: at(HOUR) };
    expect(disabled).toEqual(expected);
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(expected);

    const again = await store.disableActiveCredential({
      accountId: credential.accountId,
      credentialId: credential.credentialId,
      at: at(2 * HOUR),
      reason: "OPERATOR",
      audit: statusAudit(credential, "credential.disabled", at(2 * HOUR)),
    });
    expect(again).toBeNull();
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(expected);
    const events = await auditOf(credential.accountId);
    expect(events.filter((e) => e.action === "credential.disabled")).toEqual([audit]);
  });

  it("disableActiveCredential is scoped by account and does not touch DELETED credentials", async () => {
    const credential = await activeCredential();
    const other = await addAccount(makeAccount(2));
    const deleted = await addCredential(makeCredential(2, credential.accountId, { status: "DELETED" }));
    const eventsBefore = await auditOf(credential.accountId);

    const wrongAccount = await store.disableActiveCredential({
      accountId: other.accountId,
      credentialId: credential.credentialId,
      at: at(HOUR),
      reason: "OPERATOR",
      audit: makeAudit(other.accountId, { action: "credential.disabled" }),
    });
    const tombstone = await store.disableActiveCredential({
      accountId: deleted.accountId,
      credentialId: deleted.credentialId,
      at: at(HOUR),
      reason: "OPERATOR",
      audit: statusAudit(deleted, "credential.disabled", at(HOUR)),
    });

    expect(wrongAccount).toBeNull();
    expect(tombstone).toBeNull();
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);
    expect(await store.findCredential(deleted.accountId, deleted.credentialId)).toEqual(deleted);
    expect(await auditOf(credential.accountId)).toEqual(eventsBefore);
    expect(await auditOf(other.accountId)).toHaveLength(1);
  });

  it("disableActiveCredential is atomic: when the audit insert fails, the credential stays ACTIVE", async () => {
    const credential = await activeCredential();
    const [existing] = await auditOf(credential.accountId);
    if (!existing) throw new Error("expected an audit event");
    await expect(
      store.disableActiveCredential({
        accountId: credential.accountId,
        credentialId: credential.credentialId,
        at: at(HOUR),
        reason: "PARTNER",
        audit: existing,
      }),
    ).rejects.toThrow();
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);
  });

  it("enableDisabledCredential acts only on a DISABLED credential, clears reason and disabled_at, restarts the inactivity clock", async () => {
    const credential = await activeCredential();
    const change = (hours: number, action: string) => ({
      accountId: credential.accountId,
      credentialId: credential.credentialId,
      at: at(hours * HOUR),
      audit: statusAudit(credential, action, at(hours * HOUR)),
    });

    expect(await store.enableDisabledCredential(change(1, "credential.enabled"))).toBeNull();
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);
    expect((await auditOf(credential.accountId)).map((e) => e.action)).not.toContain("credential.enabled");

    await store.disableActiveCredential({ ...change(2, "credential.disabled"), reason: "INACTIVITY" });
    const enableChange = change(3, "credential.enabled");
    const enabled = await store.enableDisabledCredential(enableChange);
    const reactivated = { ...credential, activityAt: enableChange.at };
    expect(enabled).toEqual(reactivated);
    expect(enabled?.statusReason).toBeNull();
    expect(enabled?.disabledAt).toBeNull();
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(reactivated);

    expect(await store.enableDisabledCredential(change(4, "credential.enabled"))).toBeNull();
    const actions = (await auditOf(credential.accountId)).map((e) => e.action);
    expect(actions).toEqual([
      "credential.enabled",
      "credential.disabled",
      "credential.created",
      "account.created",
    ]);
    expect(await auditOf(credential.accountId)).toContainEqual(enableChange.audit);
  });

  it("enableDisabledCredential does not revive a DELETED credential or act across accounts", async () => {
    const account = await addAccount(makeAccount(1));
    const other = await addAccount(makeAccount(2));
    const deleted = await addCredential(makeCredential(1, account.accountId, { status: "DELETED" }));
    const disabled = await addCredential(
      makeCredential(2, account.accountId, {
        status: "DISABLED",
        statusReason: "OPERATOR",
        disabledAt: at(0),
      }),
    );

    const revive = await store.enableDisabledCredential({
      accountId: account.accountId,
      credentialId: deleted.credentialId,
      at: at(HOUR),
      audit: statusAudit(deleted, "credential.enabled", at(HOUR)),
    });
    const foreign = await store.enableDisabledCredential({
      accountId: other.accountId,
      credentialId: disabled.credentialId,
      at: at(HOUR),
      audit: makeAudit(other.accountId, { action: "credential.enabled" }),
    });

    expect(revive).toBeNull();
    expect(foreign).toBeNull();
    expect(await store.findCredential(account.accountId, deleted.credentialId)).toEqual(deleted);
    expect(await store.findCredential(account.accountId, disabled.credentialId)).toEqual(disabled);
  });

  it("updateCredentialDescription updates ACTIVE and DISABLED credentials but not DELETED ones", async () => {
    const account = await addAccount(makeAccount(1));
    const active = await addCredential(makeCredential(1, account.accountId));
    const disabled = await addCredential(
      makeCredential(2, account.accountId, {
        status: "DISABLED",
        statusReason: "PARTNER",
        disabledAt: at(0),
      }),
    );
    const deleted = await addCredential(makeCredential(3, account.accountId, { status: "DELETED" }));
    const update = (credential: Credential, description: string, owner = credential.accountId) =>
      store.updateCredentialDescription({
        accountId: owner,
        credentialId: credential.credentialId,
        description,
        audit: statusAudit(credential, "credential.updated", at(HOUR)),
      });

    expect(await update(active, "renamed")).toEqual({ ...active, description: "renamed" });
    expect(await update(disabled, "still off")).toEqual({ ...disabled, description: "still off" });
    const eventsBefore = await auditOf(account.accountId);
    expect(await update(deleted, "ghost")).toBeNull();
    expect(await store.findCredential(account.accountId, deleted.credentialId)).toEqual(deleted);
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);

    const other = await addAccount(makeAccount(2));
    expect(await update(active, "hijacked", other.accountId)).toBeNull();
    expect((await store.findCredential(account.accountId, active.credentialId))?.description).toBe("renamed");
    expect(eventsBefore.filter((e) => e.action === "credential.updated")).toHaveLength(2);
  });

  it("concurrent disables of one credential: exactly one wins and one audit event is written", async () => {
    const credential = await activeCredential();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.disableActiveCredential({
          accountId: credential.accountId,
          credentialId: credential.credentialId,
          at: at(HOUR + i),
          reason: "OPERATOR",
          audit: statusAudit(credential, "credential.disabled", at(HOUR + i)),
        }),
      ),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.status).toBe("DISABLED");
    const events = await auditOf(credential.accountId);
    expect(events.filter((e) => e.action === "credential.disabled")).toHaveLength(1);
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(winners[0]);
  });
});
