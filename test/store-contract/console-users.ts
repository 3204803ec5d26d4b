import { expect, it } from "vitest";
import type { ConsoleUser } from "../../src/domain/console-user.ts";
import type { ConsoleInvitation, StoredConsoleSession } from "../../src/store/console-port.ts";
import { at, DAY, HOUR, MINUTE, makeAccount, makeAudit } from "./fixtures.ts";
import { contractArea } from "./harness.ts";

const hex12 = (n: number): string => n.toString(16).padStart(12, "0");
const userId = (n: number): string => `0190a1b2-0c0c-7000-8000-${hex12(n)}`;

function makeUser(n: number, accountId: string | null, overrides: Partial<ConsoleUser> = {}): ConsoleUser {
  return {
    userId: userId(n),
    accountId,
    email: `user${n}@partner.example`,
    role: accountId === null ? "operator" : "owner",
    status: "INVITED",
    secondFactor: false,
    createdAt: at(n * MINUTE),
    createdBy: "operator",
    lastSignInAt: null,
    ...overrides,
  };
}

function makeInvitation(
  n: number,
  user: string,
  overrides: Partial<ConsoleInvitation> = {},
): ConsoleInvitation {
  return {
    invitationId: `0190a1b2-0d0d-7000-8000-${hex12(n)}`,
    userId: user,
    tokenHash: `invitation-hash-${n}`,
    createdAt: at(n * MINUTE),
    expiresAt: at(n * MINUTE + 7 * DAY),
    acceptedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

function makeSession(
  n: number,
  user: string,
  overrides: Partial<StoredConsoleSession> = {},
): StoredConsoleSession {
  return {
    sessionId: `0190a1b2-0e0e-7000-8000-${hex12(n)}`,
    userId: user,
    tokenHash: `session-hash-${n}`,
    stage: "ENROL",
    createdAt: at(HOUR),
    lastSeenAt: at(HOUR),
    endedAt: null,
    pendingTotpCiphertext: null,
    ...overrides,
  };
}

/** Console users: invited once per email, accepted once, sessions, the second factor, the last owner. */
export const consoleUsers = contractArea("console-users", "console users", (ctx) => {
  const { store } = ctx;

  /** A user of account 1 (or an operator) who accepted an invitation: ACTIVE, with a live session. */
  async function activeUser(n: number, accountId: string | null, role: ConsoleUser["role"] = "owner") {
    const user = makeUser(n, accountId, { role });
    const invitation = makeInvitation(n, user.userId);
    expect(await store.insertConsoleUser({ user, invitation, audit: null })).toBe(true);
    const session = makeSession(n, user.userId);
    const accepted = await store.acceptConsoleInvitation({
      tokenHash: invitation.tokenHash,
      now: at(HOUR),
      passwordHash: `$argon2id$hash-${n}`,
      session,
      audit: null,
    });
    expect(accepted.outcome).toBe("ACCEPTED");
    return { user, invitation, session };
  }

  it("insertConsoleUser stores a user and its invitation once per email; findConsoleUser/ByEmail/list read them", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const user = makeUser(1, account.accountId);
    const invitation = makeInvitation(1, user.userId);
    const audit = makeAudit(account.accountId, {
      action: "console.user_invited",
      targetType: "CONSOLE_USER",
      targetId: user.userId,
    });
    expect(await store.insertConsoleUser({ user, invitation, audit })).toBe(true);
    const stored = { ...user, passwordHash: null, totpCiphertext: null, totpLastStep: null };
    expect(await store.findConsoleUser(user.userId)).toEqual(stored);
    expect(await store.findConsoleUserByEmail(user.email)).toEqual(stored);
    expect(await store.findConsoleUserByEmail("nobody@partner.example")).toBeNull();
    expect(await store.findConsoleInvitation(invitation.tokenHash)).toEqual({ invitation, user: stored });
    expect(await store.findConsoleInvitation("unknown")).toBeNull();
    expect((await ctx.auditOf(account.accountId)).map((e) => e.action)).toContain("console.user_invited");

    const twin = makeUser(2, account.accountId, { email: user.email });
    expect(
      await store.insertConsoleUser({ user: twin, invitation: makeInvitation(2, twin.userId), audit: null }),
    ).toBe(false);
    expect(await store.findConsoleUser(twin.userId)).toBeNull();

    const operator = makeUser(3, null);
    expect(
      await store.insertConsoleUser({
        user: operator,
        invitation: makeInvitation(3, operator.userId),
        audit: null,
      }),
    ).toBe(true);
    expect((await store.listConsoleUsers(account.accountId)).map((u) => u.userId)).toEqual([user.userId]);
  });

  it("reinviteConsoleUser revokes the earlier invitation and sets the role, for INVITED users only", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const user = makeUser(1, account.accountId, { role: "viewer" });
    const first = makeInvitation(1, user.userId);
    await store.insertConsoleUser({ user, invitation: first, audit: null });
    const second = makeInvitation(2, user.userId);
    const reinvited = await store.reinviteConsoleUser({
      userId: user.userId,
      role: "developer",
      invitation: second,
      audit: null,
    });
    expect(reinvited?.role).toBe("developer");
    expect((await store.findConsoleInvitation(first.tokenHash))?.invitation.revokedAt).toEqual(
      second.createdAt,
    );
    expect(
      await store.acceptConsoleInvitation({
        tokenHash: first.tokenHash,
        now: at(HOUR),
        passwordHash: "h",
        session: makeSession(1, user.userId),
        audit: null,
      }),
    ).toEqual({ outcome: "SUPERSEDED" });
    const accepted = await store.acceptConsoleInvitation({
      tokenHash: second.tokenHash,
      now: at(HOUR),
      passwordHash: "h",
      session: makeSession(2, user.userId),
      audit: null,
    });
    expect(accepted.outcome).toBe("ACCEPTED");
    expect(
      await store.reinviteConsoleUser({
        userId: user.userId,
        role: "viewer",
        invitation: makeInvitation(3, user.userId),
        audit: null,
      }),
    ).toBeNull();
  });

  it("acceptConsoleInvitation wins once, not after expiry, and starts the session", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const { user, invitation, session } = await activeUser(1, account.accountId);
    const found = await store.findConsoleUser(user.userId);
    expect(found?.status).toBe("ACTIVE");
    expect(found?.passwordHash).toBe("$argon2id$hash-1");
    expect(await store.findConsoleSession(session.tokenHash)).toEqual({ session, user: found });
    expect(
      await store.acceptConsoleInvitation({
        tokenHash: invitation.tokenHash,
        now: at(HOUR),
        passwordHash: "other",
        session: makeSession(9, user.userId),
        audit: null,
      }),
    ).toEqual({ outcome: "ALREADY_USED" });

    const late = makeUser(2, account.accountId);
    const lateInvitation = makeInvitation(2, late.userId);
    await store.insertConsoleUser({ user: late, invitation: lateInvitation, audit: null });
    const expired = {
      tokenHash: lateInvitation.tokenHash,
      now: at(8 * DAY),
      passwordHash: "h",
      session: makeSession(2, late.userId),
      audit: null,
    };
    expect(await store.acceptConsoleInvitation(expired)).toEqual({ outcome: "EXPIRED" });
    expect(await store.acceptConsoleInvitation({ ...expired, tokenHash: "unknown" })).toEqual({
      outcome: "NOT_FOUND",
    });
    expect((await store.findConsoleUser(late.userId))?.status).toBe("INVITED");
  });

  it("sessions: insertConsoleSession, touchConsoleSession (forward only), offerConsoleTotp, endConsoleSession", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const { user } = await activeUser(1, account.accountId);
    const session = makeSession(5, user.userId, { stage: "SECOND_FACTOR" });
    await store.insertConsoleSession(session);
    await store.touchConsoleSession({ sessionId: session.sessionId, at: at(2 * HOUR) });
    await store.touchConsoleSession({ sessionId: session.sessionId, at: at(HOUR + MINUTE) });
    await store.offerConsoleTotp({ sessionId: session.sessionId, ciphertext: "v1.sealed" });
    const read = (await store.findConsoleSession(session.tokenHash))?.session;
    expect(read?.lastSeenAt).toEqual(at(2 * HOUR));
    expect(read?.pendingTotpCiphertext).toBe("v1.sealed");
    await store.endConsoleSession({ sessionId: session.sessionId, at: at(3 * HOUR) });
    await store.endConsoleSession({ sessionId: session.sessionId, at: at(4 * HOUR) });
    expect((await store.findConsoleSession(session.tokenHash))?.session.endedAt).toEqual(at(3 * HOUR));
    expect(await store.findConsoleSession("unknown")).toBeNull();
  });

  it("replaceConsoleSession ends the old session once and records a SIGNED_IN successor's sign-in", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const { user, session } = await activeUser(1, account.accountId);
    const next = makeSession(2, user.userId, { stage: "SIGNED_IN" });
    const replace = { endedSessionId: session.sessionId, at: at(2 * HOUR), session: next };
    const audit = makeAudit(account.accountId, { action: "console.signed_in", targetType: "CONSOLE_USER" });
    expect(await store.replaceConsoleSession({ ...replace, audit })).toBe(true);
    expect(
      await store.replaceConsoleSession({ ...replace, session: makeSession(3, user.userId), audit: null }),
    ).toBe(false);
    expect((await store.findConsoleSession(session.tokenHash))?.session.endedAt).toEqual(at(2 * HOUR));
    expect((await store.findConsoleSession(next.tokenHash))?.session.endedAt).toBeNull();
    expect(await store.findConsoleSession(makeSession(3, user.userId).tokenHash)).toBeNull();
    expect((await store.findConsoleUser(user.userId))?.lastSignInAt).toEqual(at(2 * HOUR));
  });

  it("enrolConsoleSecondFactor stores the secret and the codes; steps and codes are used once each", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const { user, session } = await activeUser(1, account.accountId);
    const enrol = {
      userId: user.userId,
      totpCiphertext: "v1.secret",
      step: 100,
      recoveryCodeHashes: ["code-a", "code-b"],
      endedSessionId: session.sessionId,
      at: at(2 * HOUR),
      session: makeSession(2, user.userId, { stage: "SIGNED_IN" }),
      audit: null,
    };
    expect(await store.enrolConsoleSecondFactor(enrol)).toBe(true);
    expect(await store.enrolConsoleSecondFactor({ ...enrol, session: makeSession(3, user.userId) })).toBe(
      false,
    );
    const enrolled = await store.findConsoleUser(user.userId);
    expect(enrolled).toMatchObject({ secondFactor: true, totpCiphertext: "v1.secret", totpLastStep: 100 });

    expect(await store.useConsoleTotpStep({ userId: user.userId, step: 100 })).toBe(false);
    expect(await store.useConsoleTotpStep({ userId: user.userId, step: 101 })).toBe(true);
    expect(await store.useConsoleTotpStep({ userId: user.userId, step: 101 })).toBe(false);
    expect(await store.useConsoleTotpStep({ userId: user.userId, step: 99 })).toBe(false);

    const use = { userId: user.userId, codeHash: "code-a", at: at(3 * HOUR) };
    expect(await store.useConsoleRecoveryCode(use)).toBe(true);
    expect(await store.useConsoleRecoveryCode(use)).toBe(false);
    expect(await store.useConsoleRecoveryCode({ ...use, codeHash: "code-z" })).toBe(false);
    expect(await store.useConsoleRecoveryCode({ ...use, codeHash: "code-b" })).toBe(true);
  });

  it("changeConsoleUserRole and removeConsoleUser keep an ACTIVE owner; removal ends sessions and frees the email", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const other = await ctx.addAccount(makeAccount(2));
    const owner = await activeUser(1, account.accountId, "owner");
    const dev = await activeUser(2, account.accountId, "developer");
    const audit = () => makeAudit(account.accountId, { targetType: "CONSOLE_USER", action: "console.test" });

    const demote = { accountId: account.accountId, userId: owner.user.userId, role: "viewer" as const };
    expect(await store.changeConsoleUserRole({ ...demote, audit: audit() })).toEqual({
      outcome: "LAST_OWNER",
    });
    const remove = { accountId: account.accountId, userId: owner.user.userId, at: at(5 * HOUR) };
    expect(await store.removeConsoleUser({ ...remove, audit: audit() })).toEqual({ outcome: "LAST_OWNER" });
    expect(
      await store.changeConsoleUserRole({ ...demote, accountId: other.accountId, audit: audit() }),
    ).toEqual({ outcome: "NOT_FOUND" });

    const promoted = await store.changeConsoleUserRole({
      accountId: account.accountId,
      userId: dev.user.userId,
      role: "owner",
      audit: audit(),
    });
    expect(promoted).toMatchObject({ outcome: "CHANGED", user: { role: "owner" } });
    expect(await store.changeConsoleUserRole({ ...demote, audit: audit() })).toMatchObject({
      outcome: "CHANGED",
      user: { role: "viewer" },
    });

    const removed = await store.removeConsoleUser({
      accountId: account.accountId,
      userId: owner.user.userId,
      at: at(5 * HOUR),
      audit: audit(),
    });
    expect(removed).toMatchObject({ outcome: "CHANGED", user: { status: "REMOVED" } });
    expect((await store.findConsoleSession(owner.session.tokenHash))?.session.endedAt).toEqual(at(5 * HOUR));
    expect(await store.findConsoleUserByEmail(owner.user.email)).toBeNull();
    expect((await store.listConsoleUsers(account.accountId)).map((u) => u.userId)).toEqual([dev.user.userId]);
    expect(await store.removeConsoleUser({ ...remove, audit: audit() })).toEqual({ outcome: "NOT_FOUND" });
    const again = makeUser(7, other.accountId, { email: owner.user.email });
    expect(
      await store.insertConsoleUser({
        user: again,
        invitation: makeInvitation(7, again.userId),
        audit: null,
      }),
    ).toBe(true);
  });

  it("resetConsoleUserSignIn forgets the password, secret and codes, ends the sessions and invites again", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const { user, session, invitation: first } = await activeUser(1, account.accountId);
    const next = makeSession(2, user.userId, { stage: "SIGNED_IN" });
    await store.enrolConsoleSecondFactor({
      userId: user.userId,
      totpCiphertext: "v1.secret",
      step: 5,
      recoveryCodeHashes: ["code-a"],
      endedSessionId: session.sessionId,
      at: at(2 * HOUR),
      session: next,
      audit: null,
    });
    const audit = () =>
      makeAudit(account.accountId, { targetType: "CONSOLE_USER", action: "console.sign_in_reset" });
    const invitation = makeInvitation(3, user.userId, { createdAt: at(3 * HOUR) });
    const reset = { accountId: account.accountId, userId: user.userId, at: at(3 * HOUR), invitation };
    // The account's only active owner: refused unless the guard is off (the provider's operator).
    expect(await store.resetConsoleUserSignIn({ ...reset, guardLastOwner: true, audit: audit() })).toEqual({
      outcome: "LAST_OWNER",
    });
    expect(
      await store.resetConsoleUserSignIn({ ...reset, accountId: null, guardLastOwner: false, audit: null }),
    ).toEqual({ outcome: "NOT_FOUND" });
    const done = await store.resetConsoleUserSignIn({ ...reset, guardLastOwner: false, audit: audit() });
    expect(done).toMatchObject({
      outcome: "CHANGED",
      user: {
        status: "INVITED",
        secondFactor: false,
        passwordHash: null,
        totpCiphertext: null,
        totpLastStep: null,
      },
    });
    expect((await store.findConsoleSession(next.tokenHash))?.session.endedAt).toEqual(at(3 * HOUR));
    expect(
      await store.useConsoleRecoveryCode({ userId: user.userId, codeHash: "code-a", at: at(4 * HOUR) }),
    ).toBe(false);
    expect((await store.findConsoleInvitation(first.tokenHash))?.invitation.acceptedAt).not.toBeNull();
    const accepted = await store.acceptConsoleInvitation({
      tokenHash: invitation.tokenHash,
      now: at(4 * HOUR),
      passwordHash: "$argon2id$new",
      session: makeSession(4, user.userId),
      audit: null,
    });
    expect(accepted).toMatchObject({
      outcome: "ACCEPTED",
      user: { status: "ACTIVE", passwordHash: "$argon2id$new" },
    });

    // A second reset revokes the invitation of the first while it is unused.
    const third = makeInvitation(5, user.userId, { createdAt: at(5 * HOUR) });
    const fourth = makeInvitation(6, user.userId, { createdAt: at(6 * HOUR) });
    for (const inv of [third, fourth]) {
      await store.resetConsoleUserSignIn({
        ...reset,
        at: inv.createdAt,
        invitation: inv,
        guardLastOwner: false,
        audit: null,
      });
    }
    expect((await store.findConsoleInvitation(third.tokenHash))?.invitation.revokedAt).toEqual(at(6 * HOUR));
    expect((await store.findConsoleInvitation(fourth.tokenHash))?.invitation.revokedAt).toBeNull();
  });

  it("operators: listConsoleOperators, and their reset and removal with no account and no audit", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    await activeUser(1, account.accountId);
    const first = await activeUser(2, null, "operator");
    const second = await activeUser(3, null, "operator");
    expect((await store.listConsoleOperators()).map((u) => u.userId)).toEqual([
      first.user.userId,
      second.user.userId,
    ]);
    const invitation = makeInvitation(4, first.user.userId, { createdAt: at(3 * HOUR) });
    expect(
      await store.resetConsoleUserSignIn({
        accountId: account.accountId,
        userId: first.user.userId,
        at: at(3 * HOUR),
        guardLastOwner: false,
        invitation,
        audit: null,
      }),
    ).toEqual({ outcome: "NOT_FOUND" });
    expect(
      await store.resetConsoleUserSignIn({
        accountId: null,
        userId: first.user.userId,
        at: at(3 * HOUR),
        guardLastOwner: true,
        invitation,
        audit: null,
      }),
    ).toMatchObject({ outcome: "CHANGED", user: { status: "INVITED", passwordHash: null } });
    const removed = await store.removeConsoleUser({
      accountId: null,
      userId: second.user.userId,
      at: at(4 * HOUR),
      audit: null,
    });
    expect(removed).toMatchObject({ outcome: "CHANGED", user: { status: "REMOVED" } });
    expect((await store.findConsoleSession(second.session.tokenHash))?.session.endedAt).toEqual(at(4 * HOUR));
    expect((await store.listConsoleOperators()).map((u) => u.userId)).toEqual([first.user.userId]);
  });

  it("removeConsoleUser removes the last active owner when the guard is off (the operator)", async () => {
    const account = await ctx.addAccount(makeAccount(1));
    const owner = await activeUser(1, account.accountId);
    const removed = await store.removeConsoleUser({
      accountId: account.accountId,
      userId: owner.user.userId,
      at: at(5 * HOUR),
      guardLastOwner: false,
      audit: makeAudit(account.accountId, { targetType: "CONSOLE_USER", action: "console.user_removed" }),
    });
    expect(removed).toMatchObject({ outcome: "CHANGED", user: { status: "REMOVED" } });
    expect(await store.listConsoleUsers(account.accountId)).toEqual([]);
  });
});
