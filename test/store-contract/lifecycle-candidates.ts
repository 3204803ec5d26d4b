import { expect, it } from "vitest";
import type { Credential } from "../../src/domain/types.ts";
import type { LifecycleRule } from "../../src/store/port.ts";
import { LIFECYCLE_RULES } from "../../src/store/port.ts";
import {
  at,
  credentialId,
  DAY,
  HOUR,
  MINUTE,
  makeAccount,
  makeCredential,
  thresholdsAt,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Which credentials each lifecycle rule applies to, in the order a sweep reads them batch by batch. */
export const lifecycleCandidates = contractArea("lifecycle-candidates", "findLifecycleCandidates", (ctx) => {
  const { store, addAccount, addCredential, auditOf } = ctx;

  const NOW = at(400 * DAY);
  const thresholds = thresholdsAt(NOW);
  const fresh = new Date(NOW.getTime() - DAY);
  const shift = (date: Date, ms: number): Date => new Date(date.getTime() + ms);

  async function candidateIds(rule: LifecycleRule, after: Credential | null = null, limit = 100) {
    const found = await store.findLifecycleCandidates({ rule, thresholds, after, limit });
    return found.map((c) => c.credentialId);
  }

  it("each rule finds exactly the credentials it applies to, across accounts, at its boundaries", async () => {
    const [one, two] = [await addAccount(makeAccount(1)), await addAccount(makeAccount(2))];
    const owner = (n: number): string => (n % 2 === 0 ? one.accountId : two.accountId);
    const add = (n: number, overrides: Partial<Credential>) =>
      addCredential(makeCredential(n, owner(n), { activityAt: fresh, ...overrides }));
    const disabled = { status: "DISABLED", statusReason: "PARTNER", disabledAt: fresh } as const;

    // A rotation's end, due at or before now.
    await add(1, { expiresAt: NOW });
    await add(2, { expiresAt: shift(NOW, -HOUR) });
    await add(3, { expiresAt: shift(NOW, 1) });
    await add(4, { ...disabled, expiresAt: shift(NOW, -HOUR) });
    // An old key idle since the quiet period began, once its successor is in use.
    const quiet = thresholds.quietSince;
    const oldKeys: [number, Partial<Credential>, Date | null][] = [
      [11, { expiresAt: shift(NOW, 2 * DAY), lastUsedAt: quiet }, fresh],
      [12, { expiresAt: shift(NOW, DAY), lastUsedAt: null }, fresh],
      [13, { expiresAt: shift(NOW, DAY), lastUsedAt: shift(quiet, 1) }, fresh],
      [14, { expiresAt: shift(NOW, DAY), lastUsedAt: null }, null],
      [15, { expiresAt: shift(NOW, DAY), lastUsedAt: null, rotationEnd: "AT_EXPIRY" }, fresh],
      [16, { expiresAt: NOW, lastUsedAt: null }, fresh],
    ];
    for (const [n, overrides, successorUsed] of oldKeys) {
      await add(n + 10, { rotatedFrom: credentialId(n), lastUsedAt: successorUsed });
      await add(n, { rotatedTo: credentialId(n + 10), rotationEnd: "WHEN_OLD_KEY_IDLE", ...overrides });
    }
    // Idle: warned from warnIdleSince back to disableIdleSince, disabled before it, deleted (when
    // DISABLED already) before deleteIdleSince.
    await add(31, { activityAt: thresholds.warnIdleSince });
    await add(32, { activityAt: thresholds.disableIdleSince });
    await add(33, { activityAt: shift(thresholds.warnIdleSince, 1) });
    await add(34, { ...disabled, activityAt: shift(thresholds.warnIdleSince, -DAY) });
    await add(41, { activityAt: shift(thresholds.disableIdleSince, -1) });
    await add(42, { activityAt: shift(thresholds.deleteIdleSince, -DAY) });
    await add(51, { ...disabled, activityAt: shift(thresholds.deleteIdleSince, -1) });
    await add(52, { ...disabled, activityAt: thresholds.deleteIdleSince });
    await add(53, { status: "DELETED", statusReason: "INACTIVITY", activityAt: shift(NOW, -400 * DAY) });

    const expected: Record<LifecycleRule, number[]> = {
      ROTATION_EXPIRED: [2, 1, 16],
      ROTATION_OLD_KEY_IDLE: [12, 11],
      INACTIVITY_WARNING: [32, 31],
      INACTIVITY_DISABLE: [42, 41],
      INACTIVITY_DELETE: [51],
    };
    for (const [rule, numbers] of Object.entries(expected) as [LifecycleRule, number[]][]) {
      expect(await candidateIds(rule), rule).toEqual(numbers.map(credentialId));
    }
  });

  it("candidates come in the rule's order (its instant, then id), and each batch continues strictly after `after`", async () => {
    const account = await addAccount(makeAccount(1));
    const idleMinutes = [5, 3, 5, 1, 3, 5, 2];
    const idle = idleMinutes.map((m, i) =>
      makeCredential(i + 1, account.accountId, {
        activityAt: shift(thresholds.disableIdleSince, -m * MINUTE),
      }),
    );
    const endMinutes = [2, 2, 1, 2, 3];
    const ending = endMinutes.map((m, i) =>
      makeCredential(i + 11, account.accountId, { activityAt: fresh, expiresAt: shift(NOW, -m * MINUTE) }),
    );
    for (const credential of [...idle, ...ending].reverse()) await addCredential(credential);
    const inOrder = (list: Credential[], instant: (c: Credential) => Date | null) =>
      [...list]
        .sort(
          (a, b) =>
            (instant(a)?.getTime() ?? 0) - (instant(b)?.getTime() ?? 0) ||
            (a.credentialId < b.credentialId ? -1 : 1),
        )
        .map((c) => c.credentialId);

    const cases = [
      { rule: "INACTIVITY_DISABLE", expected: inOrder(idle, (c) => c.activityAt) },
      { rule: "ROTATION_EXPIRED", expected: inOrder(ending, (c) => c.expiresAt) },
    ] as const;
    for (const { rule, expected } of cases) {
      expect(await candidateIds(rule)).toEqual(expected);
      for (const limit of [1, 2, 3]) {
        const batches: string[][] = [];
        let after: Credential | null = null;
        for (let i = 0; i < 20; i += 1) {
          const batch = await store.findLifecycleCandidates({ rule, thresholds, after, limit });
          if (batch.length === 0) break;
          expect(batch.length).toBeLessThanOrEqual(limit);
          batches.push(batch.map((c) => c.credentialId));
          after = batch[batch.length - 1] ?? null;
        }
        expect(batches.flat(), `${rule} in batches of ${limit}`).toEqual(expected);
      }
    }
  });

  it("finding candidates changes nothing", async () => {
    const account = await addAccount(makeAccount(1));
    const idle = await addCredential(
      makeCredential(1, account.accountId, { activityAt: shift(thresholds.deleteIdleSince, -DAY) }),
    );
    const eventsBefore = await auditOf(account.accountId);
    for (const rule of LIFECYCLE_RULES) {
      await store.findLifecycleCandidates({ rule, thresholds, after: null, limit: 10 });
    }
    expect(await candidateIds("INACTIVITY_DISABLE")).toEqual([idle.credentialId]);
    expect(await store.findCredential(account.accountId, idle.credentialId)).toEqual(idle);
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);
  });
});
