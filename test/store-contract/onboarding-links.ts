import { expect, it } from "vitest";
import {
  accountId,
  at,
  DAY,
  HOUR,
  makeAccount,
  makeAudit,
  makeCredential,
  makeLink,
  makeSecret,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";

/** Onboarding links: issued with the account or replacing earlier ones, claimed once with the initial credential. */
export const onboardingLinks = contractArea("onboarding-links", "onboarding links", (ctx) => {
  const { store, addAccount, addCredential, auditOf, claimAudit } = ctx;

  it("findOnboardingLink finds a link by token hash and returns null for an unknown hash", async () => {
    const account = makeAccount(1);
    const link = makeLink(1, account.accountId);
    await addAccount(account, link);
    expect(await store.findOnboardingLink(link.tokenHash)).toEqual(link);
    expect(await store.findOnboardingLink("no-such-hash")).toBeNull();
  });

  it("claimOnboardingLink returns CLAIMED once and stores the credential and audit events", async () => {
    const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
    const link = makeLink(1, account.accountId);
    const now = at(HOUR);
    const credential = makeCredential(1, account.accountId, { createdAt: now });
    const secret = makeSecret(1);
    const audit = claimAudit(account.accountId, credential, now);

    const outcome = await store.claimOnboardingLink({
      tokenHash: link.tokenHash,
      now,
      initial: { credential, secret },
      audit,
    });

    expect(outcome).toEqual({ outcome: "CLAIMED" });
    expect(await store.findCredential(account.accountId, credential.credentialId)).toEqual(credential);
    expect(await store.findCredentialByLookupId(credential.lookupId)).toEqual({ credential, secret });
    expect(await store.findOnboardingLink(link.tokenHash)).toEqual({ ...link, claimedAt: now });
    const events = await auditOf(account.accountId);
    expect(events).toHaveLength(3);
    expect(events).toEqual(expect.arrayContaining(audit));
  });

  it("a second claim returns ALREADY_USED and stores nothing", async () => {
    const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
    const link = makeLink(1, account.accountId);
    const first = makeCredential(1, account.accountId, { createdAt: at(HOUR) });
    await store.claimOnboardingLink({
      tokenHash: link.tokenHash,
      now: at(HOUR),
      initial: { credential: first, secret: makeSecret(1) },
      audit: claimAudit(account.accountId, first, at(HOUR)),
    });
    const eventsAfterFirst = await auditOf(account.accountId);

    const second = makeCredential(2, account.accountId, { createdAt: at(2 * HOUR) });
    const outcome = await store.claimOnboardingLink({
      tokenHash: link.tokenHash,
      now: at(2 * HOUR),
      initial: { credential: second, secret: makeSecret(2) },
      audit: claimAudit(account.accountId, second, at(2 * HOUR)),
    });

    expect(outcome).toEqual({ outcome: "ALREADY_USED" });
    expect(await store.findCredential(account.accountId, second.credentialId)).toBeNull();
    expect(await store.findCredentialByLookupId(second.lookupId)).toBeNull();
    expect(await auditOf(account.accountId)).toEqual(eventsAfterFirst);
    expect((await store.findOnboardingLink(link.tokenHash))?.claimedAt).toEqual(at(HOUR));
  });

  it("a claim at or after expires_at returns EXPIRED and stores nothing", async () => {
    const account = await addAccount(makeAccount(1), makeLink(1, accountId(1), { expiresAt: at(DAY) }));
    const link = makeLink(1, account.accountId, { expiresAt: at(DAY) });
    const eventsBefore = await auditOf(account.accountId);

    for (const [n, now] of [
      [1, at(DAY)],
      [2, at(DAY + 1)],
      [3, at(2 * DAY)],
    ] as const) {
      const credential = makeCredential(n, account.accountId, { createdAt: now });
      const outcome = await store.claimOnboardingLink({
        tokenHash: link.tokenHash,
        now,
        initial: { credential, secret: makeSecret(n) },
        audit: claimAudit(account.accountId, credential, now),
      });
      expect(outcome).toEqual({ outcome: "EXPIRED" });
      expect(await store.findCredential(account.accountId, credential.credentialId)).toBeNull();
    }
    expect(await store.findOnboardingLink(link.tokenHash)).toEqual(link);
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);

    const justInTime = makeCredential(4, account.accountId, { createdAt: at(DAY - 1) });
    const outcome = await store.claimOnboardingLink({
      tokenHash: link.tokenHash,
      now: at(DAY - 1),
      initial: { credential: justInTime, secret: makeSecret(4) },
      audit: claimAudit(account.accountId, justInTime, at(DAY - 1)),
    });
    expect(outcome).toEqual({ outcome: "CLAIMED" });
  });

  it("claimOnboardingLink with an unknown hash returns NOT_FOUND and stores nothing", async () => {
    const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
    const eventsBefore = await auditOf(account.accountId);
    const credential = makeCredential(1, account.accountId);
    const outcome = await store.claimOnboardingLink({
      tokenHash: "no-such-hash",
      now: at(HOUR),
      initial: { credential, secret: makeSecret(1) },
      audit: claimAudit(account.accountId, credential, at(HOUR)),
    });
    expect(outcome).toEqual({ outcome: "NOT_FOUND" });
    expect(await store.findCredential(account.accountId, credential.credentialId)).toBeNull();
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);
  });

  it("claimOnboardingLink is atomic: when the credential insert fails, the link stays unclaimed", async () => {
    const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
    const link = makeLink(1, account.accountId);
    const existing = await addCredential(makeCredential(1, account.accountId));
    const eventsBefore = await auditOf(account.accountId);

    const clashing = makeCredential(2, account.accountId, { lookupId: existing.lookupId });
    await expect(
      store.claimOnboardingLink({
        tokenHash: link.tokenHash,
        now: at(HOUR),
        initial: { credential: clashing, secret: makeSecret(2) },
        audit: claimAudit(account.accountId, clashing, at(HOUR)),
      }),
    ).rejects.toThrow();

    expect(await store.findOnboardingLink(link.tokenHash)).toEqual(link);
    expect(await store.findCredential(account.accountId, clashing.credentialId)).toBeNull();
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);

    const good = makeCredential(3, account.accountId);
    const outcome = await store.claimOnboardingLink({
      tokenHash: link.tokenHash,
      now: at(HOUR),
      initial: { credential: good, secret: makeSecret(3) },
      audit: claimAudit(account.accountId, good, at(HOUR)),
    });
    expect(outcome).toEqual({ outcome: "CLAIMED" });
  });

  it("replaceOnboardingLink revokes the unclaimed link (its claim is SUPERSEDED) and the new one works", async () => {
    const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
    const oldLink = makeLink(1, account.accountId);
    const newLink = makeLink(2, account.accountId, { createdAt: at(HOUR), expiresAt: at(HOUR + DAY) });
    const replaceAudit = makeAudit(account.accountId, {
      action: "onboarding_link.issued",
      targetType: "ONBOARDING_LINK",
      targetId: newLink.linkId,
      occurredAt: at(HOUR),
    });
    await store.replaceOnboardingLink({ link: newLink, audit: replaceAudit });

    const revoked = await store.findOnboardingLink(oldLink.tokenHash);
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect(revoked?.claimedAt).toBeNull();
    expect(await store.findOnboardingLink(newLink.tokenHash)).toEqual(newLink);
    expect(await auditOf(account.accountId)).toContainEqual(replaceAudit);
    const eventsBefore = await auditOf(account.accountId);

    const stale = makeCredential(1, account.accountId, { createdAt: at(2 * HOUR) });
    const superseded = await store.claimOnboardingLink({
      tokenHash: oldLink.tokenHash,
      now: at(2 * HOUR),
      initial: { credential: stale, secret: makeSecret(1) },
      audit: claimAudit(account.accountId, stale, at(2 * HOUR)),
    });
    expect(superseded).toEqual({ outcome: "SUPERSEDED" });
    expect(await store.findCredential(account.accountId, stale.credentialId)).toBeNull();
    expect(await auditOf(account.accountId)).toEqual(eventsBefore);

    const fresh = makeCredential(2, account.accountId, { createdAt: at(2 * HOUR) });
    const claimed = await store.claimOnboardingLink({
      tokenHash: newLink.tokenHash,
      now: at(2 * HOUR),
      initial: { credential: fresh, secret: makeSecret(2) },
      audit: claimAudit(account.accountId, fresh, at(2 * HOUR)),
    });
    expect(claimed).toEqual({ outcome: "CLAIMED" });
    expect(await store.findCredential(account.accountId, fresh.credentialId)).toEqual(fresh);
  });

  it("replaceOnboardingLink leaves claimed links and other accounts' links alone", async () => {
    const mine = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
    const theirs = await addAccount(makeAccount(2), makeLink(2, accountId(2)));
    const claimedLink = makeLink(1, mine.accountId);
    const first = makeCredential(1, mine.accountId);
    await store.claimOnboardingLink({
      tokenHash: claimedLink.tokenHash,
      now: at(HOUR),
      initial: { credential: first, secret: makeSecret(1) },
      audit: claimAudit(mine.accountId, first, at(HOUR)),
    });

    const replacement = makeLink(3, mine.accountId, { createdAt: at(2 * HOUR), expiresAt: at(3 * DAY) });
    await store.replaceOnboardingLink({ link: replacement, audit: makeAudit(mine.accountId) });

    expect(await store.findOnboardingLink(claimedLink.tokenHash)).toEqual({
      ...claimedLink,
      claimedAt: at(HOUR),
    });
    expect(await store.findOnboardingLink(makeLink(2, theirs.accountId).tokenHash)).toEqual(
      makeLink(2, theirs.accountId),
    );

    const second = makeCredential(2, mine.accountId);
    const again = await store.claimOnboardingLink({
      tokenHash: claimedLink.tokenHash,
      now: at(3 * HOUR),
      initial: { credential: second, secret: makeSecret(2) },
      audit: claimAudit(mine.accountId, second, at(3 * HOUR)),
    });
    expect(again).toEqual({ outcome: "ALREADY_USED" });
  });

  it("replaceOnboardingLink revokes every earlier unclaimed link of the account", async () => {
    const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
    const second = makeLink(2, account.accountId, { createdAt: at(HOUR) });
    const third = makeLink(3, account.accountId, { createdAt: at(2 * HOUR) });
    await store.replaceOnboardingLink({ link: second, audit: makeAudit(account.accountId) });
    await store.replaceOnboardingLink({ link: third, audit: makeAudit(account.accountId) });

    expect(
      (await store.findOnboardingLink(makeLink(1, account.accountId).tokenHash))?.revokedAt,
    ).not.toBeNull();
    expect((await store.findOnboardingLink(second.tokenHash))?.revokedAt).not.toBeNull();
    expect(await store.findOnboardingLink(third.tokenHash)).toEqual(third);
  });
});
