import { expect, it } from "vitest";
import type { AuditEvent, Credential } from "../../src/domain/types.ts";
import type { LeakReport } from "../../src/store/port.ts";
import { at, HOUR, makeAccount, makeCredential, makeSecret } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

const TOKEN_HASH = "ab".repeat(32);

/** Leak reports: recorded once per token hash, the disable guarded and atomic with its audit events. */
export const leakReports = contractArea("leak-reports", "leaked-key reports", (ctx) => {
  const { store, addAccount, addCredential, auditOf, statusAudit } = ctx;

  async function activeCredential(): Promise<Credential> {
    const account = await addAccount(makeAccount(1));
    return addCredential(makeCredential(1, account.accountId), makeSecret(1));
  }

  function reportOf(credential: Credential, overrides: Partial<LeakReport> = {}): LeakReport {
    const leaked: AuditEvent = {
      ...statusAudit(credential, "credential.leaked", at(HOUR)),
      details: { url: "https://github.com/o/r/blob/main/.env", source: "Content", token_hash: TOKEN_HASH },
    };
    return {
      tokenHash: TOKEN_HASH,
      accountId: credential.accountId,
      credentialId: credential.credentialId,
      at: at(HOUR),
      disable: true,
      disabledAudit: {
        ...statusAudit(credential, "credential.disabled", at(HOUR)),
        statusBefore: "ACTIVE",
        statusAfter: "DISABLED",
        reason: "LEAKED",
      },
      leakedAudit: leaked,
      ...overrides,
    };
  }

  it("recordCredentialLeak disables an ACTIVE credential once, with both audit events and their details", async () => {
    const credential = await activeCredential();
    const report = reportOf(credential);
    const first = await store.recordCredentialLeak(report);
    const expected = { ...credential, status: "DISABLED", statusReason: "LEAKED", disabledAt: at(HOUR) };
    expect(first).toEqual({ outcome: "RECORDED", disabled: expected });
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(expected);
    const events = await auditOf(credential.accountId);
    expect(events.filter((e) => e.action === "credential.disabled")).toEqual([report.disabledAudit]);
    expect(events.filter((e) => e.action === "credential.leaked")).toEqual([report.leakedAudit]);

    // The same token again (another report id, later): nothing is written.
    const again = await store.recordCredentialLeak(reportOf(credential, { at: at(2 * HOUR) }));
    expect(again).toEqual({ outcome: "REPEATED" });
    expect(await auditOf(credential.accountId)).toEqual(events);
    const chain = await store.readAuditChain(credential.accountId);
    expect(chain.find((e) => e.action === "credential.leaked")?.details).toEqual(report.leakedAudit.details);
  });

  it("recordCredentialLeak without disable records and audits the report, and leaves the credential ACTIVE", async () => {
    const credential = await activeCredential();
    const report = reportOf(credential, { disable: false });
    expect(await store.recordCredentialLeak(report)).toEqual({ outcome: "RECORDED", disabled: null });
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);
    const events = await auditOf(credential.accountId);
    expect(events.map((e) => e.action)).toEqual([
      "credential.leaked",
      "credential.created",
      "account.created",
    ]);
    expect(await store.recordCredentialLeak(reportOf(credential, { disable: false }))).toEqual({
      outcome: "REPEATED",
    });
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);

    // Disabling asked for later (LEAKED_KEY_ACTION changed): the announced report disables, once.
    const disabling = reportOf(credential, { at: at(2 * HOUR) });
    const expected = { ...credential, status: "DISABLED", statusReason: "LEAKED", disabledAt: at(2 * HOUR) };
    expect(await store.recordCredentialLeak(disabling)).toEqual({ outcome: "RECORDED", disabled: expected });
    expect(await store.recordCredentialLeak(reportOf(credential))).toEqual({ outcome: "REPEATED" });
    const after = await auditOf(credential.accountId);
    expect(after.map((e) => e.action)).toEqual([
      "credential.disabled",
      "credential.leaked",
      "credential.created",
      "account.created",
    ]);
    expect(after[0]).toEqual(disabling.disabledAudit);
  });

  it("recordCredentialLeak of a credential no longer ACTIVE writes only the leaked event", async () => {
    const account = await addAccount(makeAccount(1));
    const disabled = await addCredential(
      makeCredential(1, account.accountId, {
        status: "DISABLED",
        statusReason: "PARTNER",
        disabledAt: at(0),
      }),
      makeSecret(1),
    );
    const report = reportOf(disabled);
    expect(await store.recordCredentialLeak(report)).toEqual({ outcome: "RECORDED", disabled: null });
    expect(await store.findCredential(disabled.accountId, disabled.credentialId)).toEqual(disabled);
    const events = await auditOf(account.accountId);
    expect(events.filter((e) => e.action === "credential.disabled")).toEqual([]);
    expect(events.filter((e) => e.action === "credential.leaked")).toEqual([report.leakedAudit]);
  });

  it("recordCredentialLeak is atomic: when an audit insert fails, nothing is recorded or disabled", async () => {
    const credential = await activeCredential();
    const [existing] = await auditOf(credential.accountId);
    if (!existing) throw new Error("expected an audit event");
    const broken = reportOf(credential, {
      leakedAudit: { ...reportOf(credential).leakedAudit, eventId: existing.eventId },
    });
    await expect(store.recordCredentialLeak(broken)).rejects.toThrow();
    expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);
    // Not recorded: a later report of the same token still acts.
    const report = reportOf(credential);
    expect(await store.recordCredentialLeak(report)).toMatchObject({ outcome: "RECORDED" });
  });
});
