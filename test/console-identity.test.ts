import { randomBytes } from "node:crypto";
import { dictionary } from "@zxcvbn-ts/language-common";
import { Secret, TOTP } from "otpauth";
import { describe, expect } from "vitest";
import { createLogger } from "../src/logger.ts";
import { connectSharedRedis } from "../src/redis/shared-redis.ts";
import { ConsoleIdentityService } from "../src/services/console-identity.ts";
import { verifyPassword } from "../src/services/console-passwords.ts";
import { memoryRateCounter, type RateCounter } from "../src/services/rate-limiter.ts";
import type { RequestContext } from "../src/services/runtime.ts";
import { systemRandom } from "../src/system.ts";
import { test } from "./fixtures.ts";
import { type Harness, json, onboardPartnerAccount, operator } from "./harness.ts";

/*
 * Console users as people meet them: the operator's invitation, a password, the authenticator app
 * (whose codes the test computes), recovery codes, sign-in with its throttling, sessions that end,
 * and owners managing users. Driven through the service the console pages call, over the real store.
 */

const it = test.override({ harnessOptions: { env: { CONSOLE_SIGN_IN_LIMIT: "5/15m" } } });

const PASSWORD = "correct horse battery staple 9";
const OWNER = "Ada@Partner.example";
const FROM = "198.51.100.7";
const MINUTE = 60_000;
const OPERATOR: RequestContext = { actor: { kind: "operator", name: "alice" }, sourceIp: "192.0.2.1" };

/** The code an authenticator app shows for `secret` at `at`. */
function totpCode(secret: string, at: Date): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({
    timestamp: at.getTime(),
  });
}

/** The operator invites through the admin API; answers the link's token. */
async function inviteOverAdminApi(
  h: Harness,
  accountId: string,
  email: string,
  role: string,
): Promise<string> {
  const response = await h.internal.inject({
    method: "POST",
    url: `/admin/v1/accounts/${encodeURIComponent(accountId)}/users`,
    headers: operator,
    payload: { email, role },
  });
  expect(response.statusCode, response.body).toBe(201);
  const body = json<{ user_id: string; invitation_url: string; expires_at: string }>(response);
  expect(body.invitation_url).toMatch(
    /^https:\/\/partners\.example\/console\/invitations\/[A-Za-z0-9_-]{43}$/,
  );
  expect(Date.parse(body.expires_at) - h.clock.now().getTime()).toBe(7 * 24 * 60 * MINUTE);
  return body.invitation_url.split("/").pop() ?? "";
}

/** A user who accepted and enrolled: their TOTP secret, recovery codes and a signed-in session. */
async function joined(h: Harness, accountId: string, email: string, role = "owner") {
  const identity = h.services.consoleIdentity;
  const invitation = await inviteOverAdminApi(h, accountId, email, role);
  const { sessionToken: enrolling } = await identity.acceptInvitation(invitation, PASSWORD, FROM);
  const { secret } = await identity.startEnrolment(enrolling);
  const enrolled = await identity.completeEnrolment(enrolling, totpCode(secret, h.clock.now()), FROM);
  const session = await identity.session(enrolled.sessionToken);
  if (!session) throw new Error("no session after enrolment");
  return { secret, ...enrolled, user: session.user, invitation };
}

/** Password then TOTP, a step later than any code used before. */
async function signInFully(h: Harness, email: string, secret: string): Promise<string> {
  const identity = h.services.consoleIdentity;
  h.clock.advance(30_000);
  const first = await identity.signIn(email, PASSWORD, FROM);
  expect(first.stage).toBe("SECOND_FACTOR");
  return (await identity.verifySecondFactor(first.sessionToken, totpCode(secret, h.clock.now()), FROM))
    .sessionToken;
}

describe("console identity", () => {
  it("an invitation is looked at freely, refuses weak passwords, and is accepted once", async ({
    harness: h,
    partner,
  }) => {
    const identity = h.services.consoleIdentity;
    const token = await inviteOverAdminApi(h, partner.accountId, OWNER, "owner");
    for (let i = 0; i < 2; i++) {
      expect(await identity.invitation(token)).toMatchObject({
        state: "VALID",
        email: "ada@partner.example",
        accountId: partner.accountId,
      });
    }
    expect(await identity.invitation("x".repeat(43))).toEqual({ state: "NOT_FOUND" });

    const breached = dictionary["passwords-common"].find((p) => p.length >= 12) ?? "";
    const refusals: [string, RegExp][] = [
      ["too short!", /at least 12 characters/],
      [breached, /data breaches/],
      [breached.toUpperCase(), /data breaches/],
      ["ada@partner.example", /email/],
      ["x".repeat(257), /at most 256/],
    ];
    for (const [password, message] of refusals) {
      const refused = identity.acceptInvitation(token, password, FROM);
      await expect(refused).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
      await expect(refused).rejects.toThrow(message);
    }
    expect((await identity.invitation(token)).state).toBe("VALID");

    const { sessionToken } = await identity.acceptInvitation(token, PASSWORD, FROM);
    expect(sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await identity.session(sessionToken)).toMatchObject({
      stage: "ENROL",
      user: { email: "ada@partner.example", role: "owner", status: "ACTIVE", secondFactor: false },
    });
    expect(await identity.invitation(token)).toEqual({ state: "ALREADY_USED" });
    await expect(identity.acceptInvitation(token, PASSWORD, FROM)).rejects.toMatchObject({
      code: "LINK_ALREADY_USED",
    });

    // The same email cannot be invited again once it has joined; another expires unused.
    await expect(
      identity.invite({ accountId: partner.accountId, email: OWNER, role: "viewer" }, OPERATOR),
    ).rejects.toMatchObject({ code: "RESOURCE_CONFLICT" });
    const late = await identity.invite(
      { accountId: partner.accountId, email: "late@partner.example", role: "viewer" },
      OPERATOR,
    );
    const lateToken = late.invitationUrl.split("/").pop() ?? "";
    const again = await identity.invite(
      { accountId: partner.accountId, email: "late@partner.example", role: "developer" },
      OPERATOR,
    );
    expect(again.user).toMatchObject({ userId: late.user.userId, role: "developer" });
    expect(await identity.invitation(lateToken)).toEqual({ state: "SUPERSEDED" });
    h.clock.advance(7 * 24 * 60 * MINUTE);
    await expect(
      identity.acceptInvitation(again.invitationUrl.split("/").pop() ?? "", PASSWORD, FROM),
    ).rejects.toMatchObject({ code: "LINK_EXPIRED" });

    const actions = (await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 50 }))
      .filter((e) => e.action.startsWith("console."))
      .map((e) => `${e.action} by ${e.actor}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        "console.user_invited by operator",
        "console.user_joined by user:ada@partner.example",
        "console.user_invited by operator:alice",
      ]),
    );
  });

  it("enrolment: a TOTP code confirms the secret, ten recovery codes are given, the token changes", async ({
    harness: h,
    partner,
  }) => {
    const identity = h.services.consoleIdentity;
    const token = await inviteOverAdminApi(h, partner.accountId, OWNER, "owner");
    const { sessionToken: enrolling } = await identity.acceptInvitation(token, PASSWORD, FROM);
    await expect(identity.verifySecondFactor(enrolling, "123456", FROM)).rejects.toMatchObject({
      code: "INVALID_STATE",
    });
    const { secret, otpauthUri } = await identity.startEnrolment(enrolling);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/.*ada%40partner\.example\?.*secret=/);
    await expect(identity.completeEnrolment(enrolling, "000000", FROM)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
    });
    // A reload or a mistyped code offers the same secret: nothing to scan again.
    expect((await identity.startEnrolment(enrolling)).secret).toBe(secret);
    const enrolled = await identity.completeEnrolment(enrolling, totpCode(secret, h.clock.now()), FROM);
    expect(enrolled.recoveryCodes).toHaveLength(10);
    expect(new Set(enrolled.recoveryCodes).size).toBe(10);
    for (const code of enrolled.recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(enrolled.sessionToken).not.toBe(enrolling);
    expect(await identity.session(enrolling)).toBeNull();
    expect(await identity.session(enrolled.sessionToken)).toMatchObject({
      stage: "SIGNED_IN",
      user: { secondFactor: true },
    });

    // A TOTP step is accepted once: the code that enrolled cannot sign in within the same step.
    const signIn = await identity.signIn(OWNER, PASSWORD, FROM);
    expect(signIn.stage).toBe("SECOND_FACTOR");
    expect(await identity.session(signIn.sessionToken)).toMatchObject({ stage: "SECOND_FACTOR" });
    await expect(
      identity.verifySecondFactor(signIn.sessionToken, totpCode(secret, h.clock.now()), FROM),
    ).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
    h.clock.advance(30_000);
    const code = totpCode(secret, h.clock.now());
    const verified = await identity.verifySecondFactor(signIn.sessionToken, code, FROM);
    expect(await identity.session(signIn.sessionToken)).toBeNull();
    expect(await identity.session(verified.sessionToken)).toMatchObject({ stage: "SIGNED_IN" });
    // Replayed on another sign-in a few seconds later: refused.
    h.clock.advance(5_000);
    const replay = await identity.signIn(OWNER, PASSWORD, FROM);
    await expect(identity.verifySecondFactor(replay.sessionToken, code, FROM)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
    });
    // A code of the previous step (a phone a little slow) is still fine once the step is new.
    h.clock.advance(60_000);
    const slow = totpCode(secret, new Date(h.clock.now().getTime() - 30_000));
    await expect(identity.verifySecondFactor(replay.sessionToken, slow, FROM)).resolves.toBeDefined();

    // Recovery codes: each once, with or without the dash, in any case.
    const [first, second] = enrolled.recoveryCodes as [string, string];
    const withCode = await identity.signIn(OWNER, PASSWORD, FROM);
    await identity.verifySecondFactor(withCode.sessionToken, first.toUpperCase().replace("-", ""), FROM);
    const reused = await identity.signIn(OWNER, PASSWORD, FROM);
    await expect(identity.verifySecondFactor(reused.sessionToken, first, FROM)).rejects.toMatchObject({
      code: "VALIDATION_ERROR",
    });
    await expect(identity.verifySecondFactor(reused.sessionToken, second, FROM)).resolves.toBeDefined();
    const audit = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 50 });
    expect(audit.filter((e) => e.action === "console.signed_in").map((e) => e.reason)).toContain(
      "RECOVERY_CODE",
    );
  });

  it("sign-in: one error for unknown email and wrong password; throttled per email and per address", async ({
    harness: h,
    partner,
  }) => {
    const identity = h.services.consoleIdentity;
    await joined(h, partner.accountId, OWNER);
    const unknown = identity.signIn("nobody@partner.example", PASSWORD, "203.0.113.1");
    await expect(unknown).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const wrong = identity.signIn(OWNER, `${PASSWORD}x`, "203.0.113.2");
    await expect(wrong).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(
      (await unknown.catch((e: Error) => e.message)) === (await wrong.catch((e: Error) => e.message)),
    ).toBe(true);

    // Four more failures for this email (from several addresses): five in all, the limit.
    for (let i = 3; i < 7; i++) {
      await expect(identity.signIn(OWNER, "not the password", `203.0.113.${i}`)).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    // Past it even the right password waits, from any address; other people are not held up.
    await expect(identity.signIn(OWNER, PASSWORD, "203.0.113.99")).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    await identity.settled();
    const audit = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 50 });
    expect(audit.filter((e) => e.action === "console.sign_in_failed")).toHaveLength(4);
    expect(audit.filter((e) => e.action === "console.sign_in_throttled")).toHaveLength(1);
    // (The counter's window runs on real time: the limit is not waited out here.)
    const other = await joined(h, partner.accountId, "bob@partner.example", "developer");

    // One address guessing at many emails is held up too.
    for (let i = 0; i < 5; i++) {
      await expect(
        identity.signIn(`guess${i}@partner.example`, "guess guess guess", "192.0.2.50"),
      ).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    }
    await expect(identity.signIn(other.user.email, PASSWORD, "192.0.2.50")).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });

    // Wrong second-factor codes are counted per user.
    const pending = await identity.signIn(other.user.email, PASSWORD, FROM);
    for (let i = 0; i < 5; i++) {
      await expect(identity.verifySecondFactor(pending.sessionToken, "000000", FROM)).rejects.toMatchObject({
        code: "VALIDATION_ERROR",
      });
    }
    h.clock.advance(30_000);
    await expect(
      identity.verifySecondFactor(pending.sessionToken, totpCode(other.secret, h.clock.now()), FROM),
    ).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("sessions end when idle for 30 minutes, after 12 hours, and at sign-out", async ({
    harness: h,
    partner,
  }) => {
    const identity = h.services.consoleIdentity;
    const { secret, sessionToken } = await joined(h, partner.accountId, OWNER);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(29 * MINUTE);
      expect(await identity.session(sessionToken), `after ${(i + 1) * 29} minutes`).not.toBeNull();
    }
    h.clock.advance(31 * MINUTE);
    expect(await identity.session(sessionToken)).toBeNull();
    h.clock.advance(-31 * MINUTE + 29 * MINUTE);
    expect(await identity.session(sessionToken), "an idle session stays ended").toBeNull();

    const busy = await signInFully(h, OWNER, secret);
    for (let elapsed = 0; elapsed < 11 * 60; elapsed += 20) {
      h.clock.advance(20 * MINUTE);
      expect(await identity.session(busy)).not.toBeNull();
    }
    h.clock.advance(60 * MINUTE);
    expect(await identity.session(busy), "twelve hours after sign-in").toBeNull();

    const signedIn = await signInFully(h, OWNER, secret);
    await identity.signOut(signedIn);
    expect(await identity.session(signedIn)).toBeNull();
    await expect(identity.signOut(signedIn)).resolves.toBeUndefined();
  });

  it("owners manage users: the last active owner stays; removal and a sign-in reset end sessions", async ({
    harness: h,
    partner,
  }) => {
    const identity = h.services.consoleIdentity;
    const ada = await joined(h, partner.accountId, OWNER);
    const adaContext: RequestContext = {
      actor: { kind: "user", userId: ada.user.userId, email: ada.user.email },
      sourceIp: FROM,
    };
    await expect(
      identity.changeRole(partner.accountId, ada.user.userId, "viewer", adaContext),
    ).rejects.toMatchObject({ code: "INVALID_STATE", message: /last active owner/ });
    await expect(identity.removeUser(partner.accountId, ada.user.userId, adaContext)).rejects.toMatchObject({
      code: "INVALID_STATE",
    });

    // An invited owner who has not joined does not count as one.
    await identity.invite(
      { accountId: partner.accountId, email: "carol@partner.example", role: "owner" },
      adaContext,
    );
    await expect(identity.removeUser(partner.accountId, ada.user.userId, adaContext)).rejects.toMatchObject({
      code: "INVALID_STATE",
    });

    const bob = await joined(h, partner.accountId, "bob@partner.example", "developer");
    expect(
      (await identity.listUsers(partner.accountId)).map((u) => `${u.email} ${u.role} ${u.status}`),
    ).toEqual([
      "ada@partner.example owner ACTIVE",
      "carol@partner.example owner INVITED",
      "bob@partner.example developer ACTIVE",
    ]);
    expect(await identity.changeRole(partner.accountId, bob.user.userId, "owner", adaContext)).toMatchObject({
      role: "owner",
    });
    await expect(
      identity.changeRole(partner.accountId, bob.user.userId, "operator", adaContext),
    ).rejects.toMatchObject({ code: "VALIDATION_ERROR" });

    // A sign-in reset: bob's session ends, his password no longer works (holding it does not let
    // anyone enrol a new authenticator), and only the new one-time link lets him in again.
    const reset = await identity.resetSignIn(partner.accountId, bob.user.userId, adaContext);
    expect(reset.user).toMatchObject({ status: "INVITED", secondFactor: false });
    expect(reset.invitationUrl).toMatch(/\/console\/invitations\/[A-Za-z0-9_-]{43}$/);
    expect(await identity.session(bob.sessionToken)).toBeNull();
    await expect(identity.signIn("bob@partner.example", PASSWORD, FROM)).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    const relink = reset.invitationUrl.split("/").pop() ?? "";
    const { sessionToken: reenrolling } = await identity.acceptInvitation(
      relink,
      "a brand new passphrase 77",
      FROM,
    );
    expect(await identity.session(reenrolling)).toMatchObject({
      stage: "ENROL",
      user: { secondFactor: false },
    });
    const again = await identity.signIn("bob@partner.example", "a brand new passphrase 77", FROM);
    expect(again.stage).toBe("ENROL");

    // Ada, no longer the last owner, is removed: her session ends and she cannot sign in.
    await identity.removeUser(partner.accountId, ada.user.userId, adaContext);
    expect(await identity.session(ada.sessionToken)).toBeNull();
    await expect(identity.signIn(OWNER, PASSWORD, FROM)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(identity.removeUser(partner.accountId, ada.user.userId, adaContext)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    // Another account's owner cannot reach bob through their own account.
    const child = await onboardPartnerAccount(h, partner, "Child Shop");
    await expect(identity.removeUser(child.accountId, bob.user.userId, adaContext)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    const actions = (await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 100 }))
      .filter((e) => e.actor === "user:ada@partner.example")
      .map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "console.user_invited",
        "console.role_changed",
        "console.sign_in_reset",
        "console.user_removed",
      ]),
    );
  });

  it("operators are invited with no account, over the admin API", async ({ harness: h }) => {
    const response = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/operators/users",
      headers: operator,
      payload: { email: "support@provider.example" },
    });
    expect(response.statusCode, response.body).toBe(201);
    const token = json<{ invitation_url: string }>(response).invitation_url.split("/").pop() ?? "";
    const identity = h.services.consoleIdentity;
    expect(await identity.invitation(token)).toMatchObject({ state: "VALID", accountId: null });
    const { sessionToken } = await identity.acceptInvitation(token, PASSWORD, FROM);
    expect(await identity.session(sessionToken)).toMatchObject({
      user: { role: "operator", accountId: null },
    });

    const bad = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts/krn:partner:global:account:live:ZZZZZZZZ/users",
      headers: operator,
      payload: { email: "a@b.example", role: "owner" },
    });
    expect(bad.statusCode).toBe(404);
    const badRole = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/operators/users",
      headers: operator,
      payload: { email: "not an email" },
    });
    expect(badRole.statusCode).toBe(400);
  });

  it("keeps no password, TOTP secret, token or recovery code in the database", async ({
    harness: h,
    partner,
  }) => {
    const ada = await joined(h, partner.accountId, OWNER);
    const signedIn = await signInFully(h, OWNER, ada.secret);
    const pending = await h.services.consoleIdentity.invite(
      { accountId: partner.accountId, email: "dan@partner.example", role: "viewer" },
      OPERATOR,
    );
    const secrets = [
      PASSWORD,
      ada.secret,
      Buffer.from(ada.secret).toString("hex"),
      ada.invitation,
      pending.invitationUrl.split("/").pop() ?? "",
      ada.sessionToken,
      signedIn,
      ...ada.recoveryCodes,
      ...ada.recoveryCodes.map((c) => c.replace("-", "")),
    ];
    const stored = (await h.storedBytes()).toString("latin1");
    for (const secret of secrets)
      expect(stored.includes(secret), `${secret.slice(0, 6)}… at rest`).toBe(false);
    expect(stored).toContain("$argon2id$");
  });
});

describe("console sign-in steps", () => {
  it("a session still signing in (enrolment or second factor due) ends 10 minutes after it began, however active", async ({
    harness: h,
    partner,
  }) => {
    const identity = h.services.consoleIdentity;
    const token = await inviteOverAdminApi(h, partner.accountId, OWNER, "owner");
    const { sessionToken: enrolling } = await identity.acceptInvitation(token, PASSWORD, FROM);
    for (let i = 0; i < 4; i++) {
      h.clock.advance(2 * MINUTE);
      expect(await identity.session(enrolling), `enrolling after ${(i + 1) * 2} min`).not.toBeNull();
    }
    h.clock.advance(2 * MINUTE);
    expect(await identity.session(enrolling), "enrolling after 10 min").toBeNull();
    await expect(identity.startEnrolment(enrolling)).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    // Signing in again goes back to enrolment; this time it is finished in time.
    const retry = await identity.signIn(OWNER, PASSWORD, FROM);
    expect(retry.stage).toBe("ENROL");
    const { secret } = await identity.startEnrolment(retry.sessionToken);
    h.clock.advance(9 * MINUTE);
    const enrolled = await identity.completeEnrolment(
      retry.sessionToken,
      totpCode(secret, h.clock.now()),
      FROM,
    );
    // Signed in, the session has the ordinary limits (30 min idle, 12 h) again.
    h.clock.advance(20 * MINUTE);
    expect(await identity.session(enrolled.sessionToken)).toMatchObject({ stage: "SIGNED_IN" });

    h.clock.advance(30_000);
    const pending = await identity.signIn(OWNER, PASSWORD, FROM);
    expect(pending.stage).toBe("SECOND_FACTOR");
    h.clock.advance(9 * MINUTE);
    expect(await identity.session(pending.sessionToken)).not.toBeNull();
    h.clock.advance(MINUTE);
    expect(await identity.session(pending.sessionToken)).toBeNull();
    await expect(
      identity.verifySecondFactor(pending.sessionToken, totpCode(secret, h.clock.now()), FROM),
    ).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

/*
 * Guesses in parallel: each sign-in takes its failure slot (per email and per address) before the
 * password is verified, so with a limit of 3 no more than 3 guesses are ever verified, however many
 * arrive at once, and the right password behind them is refused too. The same with the in-process
 * counter and with Redis (when TEST_REDIS_URL is set).
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "";
const counters: [string, () => Promise<{ counter: RateCounter; close(): Promise<void> }>][] = [
  ["the in-process counter", async () => ({ counter: memoryRateCounter(), close: async () => {} })],
];
if (REDIS_URL) {
  counters.push([
    "the Redis counter",
    async () => {
      const shared = connectSharedRedis(REDIS_URL, {
        instanceCount: 1,
        keyPrefix: `test-${randomBytes(6).toString("hex")}`,
        logger: createLogger({ level: "silent" }),
      });
      await expect.poll(() => shared.redisUp(), { timeout: 5_000 }).toBe(true);
      return { counter: shared.counter, close: () => shared.close() };
    },
  ]);
} else {
  process.stderr.write("TEST_REDIS_URL is not set: the sign-in race runs with the in-process counter only\n");
}

describe.each(counters)("parallel guesses, with %s", (_name, openCounter) => {
  /** A service with a limit of 3 over the harness's store, counting the passwords it verifies. */
  async function throttled(h: Harness, onCleanup: (fn: () => Promise<void>) => void) {
    const { counter, close } = await openCounter();
    onCleanup(close);
    const verified = { count: 0 };
    const service = new ConsoleIdentityService(
      { store: h.store, clock: h.clock, random: systemRandom },
      {
        publicUrl: "https://partners.example",
        invitationTtlMs: 7 * 24 * 60 * MINUTE,
        session: { idleMs: 30 * MINUTE, maxMs: 12 * 60 * MINUTE, signInStepMs: 10 * MINUTE },
        totpKey: randomBytes(32),
        signInLimit: { points: 3, windowSeconds: 900 },
        counter,
        issuer: "Test",
        verifyPassword: (...args) => {
          verified.count++;
          return verifyPassword(...args);
        },
      },
    );
    return { service, verified };
  }

  const outcomes = async (attempts: Promise<unknown>[]): Promise<string[]> =>
    (await Promise.allSettled(attempts)).map((r) =>
      r.status === "fulfilled" ? "OK" : String((r.reason as { code?: string }).code),
    );

  it("30 wrong passwords at once, then the right one: at most 3 verified, the right one refused", async ({
    harness: h,
    partner,
    onTestFinished,
  }) => {
    const { service, verified } = await throttled(h, onTestFinished);
    const invited = await service.invite(
      { accountId: partner.accountId, email: OWNER, role: "owner" },
      OPERATOR,
    );
    await service.acceptInvitation(invited.invitationUrl.split("/").pop() ?? "", PASSWORD, FROM);

    // Per email: from 31 addresses.
    const results = await outcomes([
      ...Array.from({ length: 30 }, (_, i) =>
        service.signIn(OWNER, `wrong guess number ${i}`, `203.0.113.${i}`),
      ),
      service.signIn(OWNER, PASSWORD, "203.0.113.200"),
    ]);
    expect(verified.count).toBe(3);
    expect(results.filter((r) => r === "UNAUTHORIZED")).toHaveLength(3);
    expect(results.filter((r) => r === "RATE_LIMITED")).toHaveLength(28);
    expect(results.at(-1)).toBe("RATE_LIMITED");
    await service.settled();
    const audit = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 50 });
    expect(
      audit
        .filter((e) => e.action.startsWith("console.sign_in_"))
        .map((e) => e.action)
        .sort(),
    ).toEqual(["console.sign_in_failed", "console.sign_in_failed", "console.sign_in_throttled"]);

    // Per address: one address trying 30 emails at once gets 3 verified.
    verified.count = 0;
    const spread = await outcomes(
      Array.from({ length: 30 }, (_, i) =>
        service.signIn(`guess${i}@partner.example`, PASSWORD, "192.0.2.9"),
      ),
    );
    expect(verified.count).toBe(3);
    expect(spread.filter((r) => r === "RATE_LIMITED")).toHaveLength(27);
  });

  it("the right password gives its slot back; wrong codes in parallel get at most 3 checked", async ({
    harness: h,
    partner,
    onTestFinished,
  }) => {
    const { service, verified } = await throttled(h, onTestFinished);
    const invited = await service.invite(
      { accountId: partner.accountId, email: OWNER, role: "owner" },
      OPERATOR,
    );
    const accepted = await service.acceptInvitation(
      invited.invitationUrl.split("/").pop() ?? "",
      PASSWORD,
      FROM,
    );

    // Enrolment: 30 wrong codes at once and the right one: the right one is refused.
    const { secret } = await service.startEnrolment(accepted.sessionToken);
    const enrolment = await outcomes([
      ...Array.from({ length: 30 }, () => service.completeEnrolment(accepted.sessionToken, "000000", FROM)),
      service.completeEnrolment(accepted.sessionToken, totpCode(secret, h.clock.now()), FROM),
    ]);
    expect(enrolment.filter((r) => r === "VALIDATION_ERROR")).toHaveLength(3);
    expect(enrolment.at(-1)).toBe("RATE_LIMITED");

    // Two wrong passwords, the right one (its slot given back), then two more wrong ones: the
    // budget of 3 is not used up by the successes, so the fourth failure only comes now.
    for (const password of ["wrong one here", "wrong two here"]) {
      await expect(service.signIn(OWNER, password, FROM)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    await expect(service.signIn(OWNER, PASSWORD, FROM)).resolves.toMatchObject({ stage: "ENROL" });
    await expect(service.signIn(OWNER, "wrong three here", FROM)).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(service.signIn(OWNER, "wrong four here", FROM)).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    expect(verified.count).toBe(4);
    await service.settled();
  });
});

describe("recovery by the provider's operator", () => {
  const it = test.override({ harnessOptions: { env: { CONSOLE_SIGN_IN_LIMIT: "5/15m" } } });

  it("a sole owner who lost everything: the operator finds them, resets their sign-in, and they join again", async ({
    harness: h,
    partner,
  }) => {
    const identity = h.services.consoleIdentity;
    const ada = await joined(h, partner.accountId, OWNER);

    const listed = await h.internal.inject({
      method: "GET",
      url: `/admin/v1/console-users?account_id=${encodeURIComponent(partner.accountId)}`,
      headers: operator,
    });
    expect(listed.statusCode, listed.body).toBe(200);
    const users = json<{ console_users: Record<string, unknown>[] }>(listed).console_users;
    expect(users).toEqual([
      expect.objectContaining({
        user_id: ada.user.userId,
        account_id: partner.accountId,
        email: "ada@partner.example",
        role: "owner",
        status: "ACTIVE",
        second_factor: true,
      }),
    ]);
    expect(JSON.stringify(users)).not.toMatch(/argon2|v1\./);

    const reset = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/console-users/${ada.user.userId}/reset`,
      headers: operator,
    });
    expect(reset.statusCode, reset.body).toBe(201);
    const body = json<{ user_id: string; invitation_url: string; expires_at: string }>(reset);
    expect(Object.keys(body).sort()).toEqual(["expires_at", "invitation_url", "user_id"]);
    expect(body.user_id).toBe(ada.user.userId);
    expect(Date.parse(body.expires_at) - h.clock.now().getTime()).toBe(7 * 24 * 60 * MINUTE);
    const link = body.invitation_url.split("/").pop() ?? "";

    // Every session ended; the old password, the authenticator and the recovery codes are gone.
    expect(await identity.session(ada.sessionToken)).toBeNull();
    await expect(identity.signIn(OWNER, PASSWORD, FROM)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    expect(await identity.invitation(link)).toMatchObject({ state: "VALID", email: "ada@partner.example" });

    const { sessionToken } = await identity.acceptInvitation(link, "a brand new passphrase 77", FROM);
    const { secret } = await identity.startEnrolment(sessionToken);
    expect(secret).not.toBe(ada.secret);
    const enrolled = await identity.completeEnrolment(sessionToken, totpCode(secret, h.clock.now()), FROM);
    expect(enrolled.recoveryCodes.some((c) => ada.recoveryCodes.includes(c))).toBe(false);
    expect(await identity.invitation(link)).toEqual({ state: "ALREADY_USED" });

    const audit = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 50 });
    const resetEvent = audit.find((e) => e.action === "console.sign_in_reset");
    expect(resetEvent).toMatchObject({
      actor: "operator",
      targetId: ada.user.userId,
      details: { last_owner_guard: "not applied (provider operator)", last_active_owner: "yes" },
    });
    expect(JSON.stringify(resetEvent)).not.toContain(link);
  });

  it("the operator removes a last owner (audited as such) and an operator, who are logged", async ({
    harness: h,
    partner,
  }) => {
    const identity = h.services.consoleIdentity;
    const ada = await joined(h, partner.accountId, OWNER);
    const removed = await h.internal.inject({
      method: "DELETE",
      url: `/admin/v1/console-users/${ada.user.userId}`,
      headers: operator,
    });
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await identity.session(ada.sessionToken)).toBeNull();
    await expect(identity.signIn(OWNER, PASSWORD, FROM)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const again = await h.internal.inject({
      method: "DELETE",
      url: `/admin/v1/console-users/${ada.user.userId}`,
      headers: operator,
    });
    expect(again.statusCode).toBe(404);
    const audit = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 50 });
    expect(audit.find((e) => e.action === "console.user_removed")).toMatchObject({
      actor: "operator",
      details: { last_owner_guard: "not applied (provider operator)", last_active_owner: "yes" },
    });

    // An operator: invited, joined, then reset and removed; their record is the log.
    const invited = await identity.invite(
      { accountId: null, email: "support@provider.example", role: "operator" },
      OPERATOR,
    );
    await identity.acceptInvitation(invited.invitationUrl.split("/").pop() ?? "", PASSWORD, FROM);
    const operators = await h.internal.inject({
      method: "GET",
      url: "/admin/v1/console-users?operators=true",
      headers: operator,
    });
    expect(json<{ console_users: { user_id: string; account_id: null; role: string }[] }>(operators)).toEqual(
      {
        console_users: [
          expect.objectContaining({ user_id: invited.user.userId, account_id: null, role: "operator" }),
        ],
      },
    );
    const reset = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/console-users/${invited.user.userId}/reset`,
      headers: operator,
    });
    expect(reset.statusCode, reset.body).toBe(201);
    const link = json<{ invitation_url: string }>(reset).invitation_url;
    expect(
      (
        await h.internal.inject({
          method: "DELETE",
          url: `/admin/v1/console-users/${invited.user.userId}`,
          headers: operator,
        })
      ).statusCode,
    ).toBe(204);
    expect(await identity.invitation(link.split("/").pop() ?? "")).toEqual({ state: "SUPERSEDED" });
    const logs = h.logs();
    expect(logs).toContain('"event":"console.operator_user_reset"');
    expect(logs).toContain('"event":"console.operator_user_removed"');
    expect(logs).not.toContain(link.split("/").pop() ?? "");

    // Neither or both of the list's filters is a 400; an unknown account or user a 404.
    for (const url of [
      "/admin/v1/console-users",
      `/admin/v1/console-users?operators=true&account_id=${encodeURIComponent(partner.accountId)}`,
    ]) {
      expect((await h.internal.inject({ method: "GET", url, headers: operator })).statusCode, url).toBe(400);
    }
    const unknownAccount = await h.internal.inject({
      method: "GET",
      url: "/admin/v1/console-users?account_id=krn:partner:global:account:live:ZZZZZZZZ",
      headers: operator,
    });
    expect(unknownAccount.statusCode).toBe(404);
    const unknownUser = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/console-users/0190a1b2-0c0c-7000-8000-000000000099/reset",
      headers: operator,
    });
    expect(unknownUser.statusCode).toBe(404);
    const noToken = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/console-users/${invited.user.userId}/reset`,
    });
    expect(noToken.statusCode).toBe(401);
  });
});
