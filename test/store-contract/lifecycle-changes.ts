import { expect, it } from "vitest";
import { verifyChain } from "../../src/domain/audit-chain.ts";
import type { AuditEvent, Credential } from "../../src/domain/types.ts";
import type { LifecycleRule } from "../../src/store/port.ts";
import {
  at,
  credentialId,
  DAY,
  HOUR,
  MINUTE,
  makeAccount,
  makeAudit,
  makeClientCredential,
  makeCredential,
  makeSecret,
  thresholdsAt,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Applying a lifecycle rule to a batch: guarded per credential, with each change's event, in one transaction. */
export const lifecycleChanges = contractArea("lifecycle-changes", "applyLifecycleRule", (ctx) => {
  const { store, addAccount, addCredential, auditOf, statusAudit } = ctx;

  const NOW = at(400 * DAY);
  const thresholds = thresholdsAt(NOW);
  const fresh = new Date(NOW.getTime() - DAY);
  const idleSince = (since: Date, ms: number): Date => new Date(since.getTime() - ms);

  function change(credential: Credential, rule: LifecycleRule): { credentialId: string; audit: AuditEvent } {
    return {
      credentialId: credential.credentialId,
      audit: makeAudit(credential.accountId, {
        action: `lifecycle.${rule.toLowerCase()}`,
        actor: "system",
        targetType: "CREDENTIAL",
        targetId: credential.credentialId,
        occurredAt: NOW,
      }),
    };
  }

  async function apply(rule: LifecycleRule, credentials: Credential[], asOf = thresholds) {
    return store.applyLifecycleRule({
      rule,
      thresholds: asOf,
      changes: credentials.map((c) => change(c, rule)),
    });
  }

  it("each rule makes its change, returns the changed credentials as stored, and writes their events", async () => {
    const account = await addAccount(makeAccount(1));
    const a = account.accountId;
    const successor = await addCredential(makeCredential(9, a, { activityAt: fresh, lastUsedAt: fresh }));
    const expired = await addCredential(makeCredential(1, a, { activityAt: fresh, expiresAt: NOW }));
    const oldKey = await addCredential(
      makeCredential(2, a, {
        activityAt: fresh,
        expiresAt: new Date(NOW.getTime() + DAY),
        rotatedTo: successor.credentialId,
        rotationEnd: "WHEN_OLD_KEY_IDLE",
      }),
    );
    const warned = await addCredential(makeCredential(3, a, { activityAt: thresholds.warnIdleSince }));
    const idle = await addCredential(
      makeCredential(4, a, { activityAt: idleSince(thresholds.disableIdleSince, 1) }),
    );
    const gone = await addCredential(
      makeClientCredential(5, a, {
        status: "DISABLED",
        statusReason: "INACTIVITY",
        disabledAt: idleSince(thresholds.deleteIdleSince, DAY),
        activityAt: idleSince(thresholds.deleteIdleSince, 2 * DAY),
      }),
    );
    const rotatedAway = { status: "DISABLED", statusReason: "ROTATED", disabledAt: NOW } as const;
    const expected: [LifecycleRule, Credential, Credential][] = [
      ["ROTATION_EXPIRED", expired, { ...expired, ...rotatedAway }],
      ["ROTATION_OLD_KEY_IDLE", oldKey, { ...oldKey, ...rotatedAway }],
      ["INACTIVITY_WARNING", warned, warned],
      [
        "INACTIVITY_DISABLE",
        idle,
        { ...idle, status: "DISABLED", statusReason: "INACTIVITY", disabledAt: NOW },
      ],
      [
        "INACTIVITY_DELETE",
        gone,
        { ...gone, status: "DELETED", statusReason: "INACTIVITY", deletedAt: NOW, clientId: null },
      ],
    ];

    for (const [rule, before, after] of expected) {
      const changes = [change(before, rule)];
      const changed = await store.applyLifecycleRule({ rule, thresholds, changes });
      expect(changed, rule).toEqual([after]);
      expect(await store.findCredential(a, before.credentialId), rule).toEqual(after);
      expect(await auditOf(a), rule).toContainEqual(changes[0]?.audit);
    }
    // A deleted credential keeps no secret: its lookup finds a tombstone that cannot authenticate.
    expect(await store.findCredentialByLookupId(gone.lookupId)).toEqual({
      credential: expected[4]?.[2],
      secret: null,
    });
  });

  it("deleting an API key wipes its secret hash", async () => {
    const account = await addAccount(makeAccount(1));
    const key = await addCredential(
      makeCredential(1, account.accountId, {
        status: "DISABLED",
        statusReason: "INACTIVITY",
        activityAt: idleSince(thresholds.deleteIdleSince, 1),
      }),
      makeSecret(1),
    );
    expect(await apply("INACTIVITY_DELETE", [key])).toHaveLength(1);
    expect((await store.findCredentialByLookupId(key.lookupId))?.secret).toBeNull();
  });

  it("skips, without an event, a listed credential the rule no longer applies to", async () => {
    const account = await addAccount(makeAccount(1));
    const a = account.accountId;
    const idle = (n: number) =>
      makeCredential(n, a, { activityAt: idleSince(thresholds.disableIdleSince, DAY) });
    const [used, untouched, disabledMeanwhile] = [
      await addCredential(idle(1)),
      await addCredential(idle(2)),
      await addCredential(idle(3)),
    ];
    const candidates = await store.findLifecycleCandidates({
      rule: "INACTIVITY_DISABLE",
      thresholds,
      after: null,
      limit: 10,
    });
    expect(candidates).toHaveLength(3);
    // Between finding and applying: one key is used, another disabled by its partner.
    await store.recordCredentialUses([
      { credentialId: used.credentialId, accountId: used.accountId, usedAt: fresh, sourceIp: null },
    ]);
    await store.disableActiveCredential({
      accountId: a,
      credentialId: disabledMeanwhile.credentialId,
      at: fresh,
      reason: "PARTNER",
      audit: statusAudit(disabledMeanwhile, "credential.disabled", fresh),
    });
    const changes = [used, untouched, disabledMeanwhile].map((c) => change(c, "INACTIVITY_DISABLE"));

    const changed = await store.applyLifecycleRule({ rule: "INACTIVITY_DISABLE", thresholds, changes });

    expect(changed.map((c) => c.credentialId)).toEqual([untouched.credentialId]);
    const lifecycleEvents = (await auditOf(a)).filter((e) => e.action.startsWith("lifecycle."));
    expect(lifecycleEvents).toEqual([changes[1]?.audit]);
    expect((await store.findCredential(a, used.credentialId))?.status).toBe("ACTIVE");
    expect((await store.findCredential(a, disabledMeanwhile.credentialId))?.statusReason).toBe("PARTNER");
    expect(await store.applyLifecycleRule({ rule: "INACTIVITY_DISABLE", thresholds, changes: [] })).toEqual(
      [],
    );
  });

  it("returns the changed credentials in the order of the changes listed", async () => {
    const account = await addAccount(makeAccount(1));
    const listed: Credential[] = [];
    for (const n of [3, 1, 4, 2]) {
      listed.push(
        await addCredential(
          makeCredential(n, account.accountId, {
            activityAt: idleSince(thresholds.disableIdleSince, n * HOUR),
          }),
        ),
      );
    }
    const changed = await apply("INACTIVITY_DISABLE", listed);
    expect(changed.map((c) => c.credentialId)).toEqual([3, 1, 4, 2].map(credentialId));
  });

  it("a batch across accounts writes each event in its own account's chain, every chain intact", async () => {
    const accounts = [
      await addAccount(makeAccount(1)),
      await addAccount(makeAccount(2)),
      await addAccount(makeAccount(3)),
    ];
    const idle: Credential[] = [];
    for (const [i, account] of accounts.entries()) {
      for (const k of [0, 1]) {
        idle.push(
          await addCredential(
            makeCredential(10 * (i + 1) + k, account.accountId, {
              activityAt: idleSince(thresholds.disableIdleSince, (2 * i + k + 1) * MINUTE),
            }),
          ),
        );
      }
    }
    const changes = idle.map((c) => change(c, "INACTIVITY_DISABLE"));
    const changed = await store.applyLifecycleRule({ rule: "INACTIVITY_DISABLE", thresholds, changes });
    expect(changed).toHaveLength(idle.length);
    for (const account of accounts) {
      const chain = await store.readAuditChain(account.accountId);
      expect(verifyChain(chain)).toEqual({ intact: true, checked: 5 });
      const mine = changes.filter((c) => c.audit.accountId === account.accountId).map((c) => c.audit);
      expect(chain.slice(3)).toMatchObject(mine);
    }
  });

  it("is atomic: when one event cannot be written, no credential of the batch changes", async () => {
    const account = await addAccount(makeAccount(1));
    const [existing] = await auditOf(account.accountId);
    if (!existing) throw new Error("expected the creation audit event");
    const first = await addCredential(
      makeCredential(1, account.accountId, { activityAt: idleSince(thresholds.disableIdleSince, DAY) }),
    );
    const second = await addCredential(
      makeCredential(2, account.accountId, { activityAt: idleSince(thresholds.disableIdleSince, DAY) }),
    );
    const eventsBefore = await auditOf(account.accountId);
    await expect(
      store.applyLifecycleRule({
        rule: "INACTIVITY_DISABLE",
        thresholds,
        changes: [
          change(first, "INACTIVITY_DISABLE"),
          { credentialId: second.credentialId, audit: existing },
        ],
      }),
    ).rejects.toThrow();
    expect(await store.findCredential(account.accountId, first.credentialId)).toEqual(first);
    expect(await store.findCredential(account.accountId, second.credentialId)).toEqual(second);
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);
  });

  it("sweeps applying one batch at once change each credential once, with one event each", async () => {
    const account = await addAccount(makeAccount(1));
    const idle: Credential[] = [];
    for (const n of [1, 2, 3, 4]) {
      idle.push(
        await addCredential(
          makeCredential(n, account.accountId, {
            activityAt: idleSince(thresholds.disableIdleSince, n * MINUTE),
          }),
        ),
      );
    }
    const results = await Promise.all([1, 2, 3].map(() => apply("INACTIVITY_DISABLE", idle)));
    expect(
      results
        .flat()
        .map((c) => c.credentialId)
        .sort(),
    ).toEqual(idle.map((c) => c.credentialId));
    const events = (await auditOf(account.accountId)).filter((e) => e.action.startsWith("lifecycle."));
    expect(events).toHaveLength(idle.length);
  });

  it("warns once per idle spell: a warned credential is warned again only after new activity", async () => {
    const account = await addAccount(makeAccount(1));
    const key = await addCredential(
      makeCredential(1, account.accountId, { activityAt: thresholds.warnIdleSince }),
    );
    const warn = (asOf: typeof thresholds) =>
      store.findLifecycleCandidates({ rule: "INACTIVITY_WARNING", thresholds: asOf, after: null, limit: 10 });

    expect(await apply("INACTIVITY_WARNING", [key])).toEqual([key]);
    expect(await warn(thresholds)).toEqual([]);
    expect(await apply("INACTIVITY_WARNING", [key])).toEqual([]);

    // Used a day later, then idle again long enough to be warned again.
    const usedAt = new Date(NOW.getTime() + DAY);
    await store.recordCredentialUses([
      { credentialId: key.credentialId, accountId: key.accountId, usedAt, sourceIp: null },
    ]);
    const later = thresholdsAt(new Date(usedAt.getTime() + 85 * DAY));
    const again = await warn(later);
    expect(again.map((c) => c.credentialId)).toEqual([key.credentialId]);
    expect(await apply("INACTIVITY_WARNING", again, later)).toHaveLength(1);
    const warnings = (await auditOf(account.accountId)).filter(
      (e) => e.action === "lifecycle.inactivity_warning",
    );
    expect(warnings).toHaveLength(2);
  });
});
