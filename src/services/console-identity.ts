import { normalizeEmail } from "../domain/console-credentials.ts";
import type { ConsoleRole } from "../domain/console-roles.ts";
import { openTotpSecret, sealTotpSecret } from "../domain/console-totp.ts";
import type { ConsoleSession, ConsoleUser, SessionLimits, SessionStage } from "../domain/console-user.ts";
import { AppError, invalidParameter, notFound } from "../domain/errors.ts";
import { type UnusableLinkState, unusableLinkError } from "../domain/onboarding-link.ts";
import { type RateDecision, type RateLimit, rateLimited } from "../domain/rate-limit.ts";
import type { StoredConsoleSession, StoredConsoleUser } from "../store/console-port.ts";
import { assertUsablePassword, hashPassword, verifyPassword } from "./console-passwords.ts";
import {
  newRecoveryCodes,
  newTotpSecret,
  recoveryCodeHash,
  totpOffer,
  totpStep,
} from "./console-second-factor.ts";
import { CONSOLE_TOKEN_PATTERN, ConsoleSessions, consoleTokenHash } from "./console-sessions.ts";
import { ConsoleUsers, consoleAudit, type ResetSignIn } from "./console-users.ts";
import { FailureThrottle } from "./failure-throttle.ts";
import type { RateCounter } from "./rate-limiter.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

export type { ConsoleRole } from "../domain/console-roles.ts";
export type { ConsoleSession, ConsoleUser, SessionStage } from "../domain/console-user.ts";
export type { ResetSignIn } from "./console-users.ts";

export interface ConsoleIdentityOptions {
  /** The partners' base URL (`PUBLIC_URL`): invitation links point at its `/console/invitations/`. */
  publicUrl: string;
  /** `CONSOLE_INVITATION_TTL`. */
  invitationTtlMs: number;
  /** `CONSOLE_SESSION_IDLE`, `CONSOLE_SESSION_MAX` and `CONSOLE_SIGN_IN_STEP_TTL`. */
  session: SessionLimits;
  /** Encrypts the TOTP secrets: `deriveKey(SESSION_SECRET, "console-totp/v1")`. */
  totpKey: Uint8Array;
  /** Failed sign-ins (and second-factor codes) allowed per email, per address and per user. */
  signInLimit: RateLimit;
  /** The shared rate counter the failures are counted in. */
  counter: RateCounter;
  /** The name authenticator apps show for the account (`BRAND`). */
  issuer: string;
  /** argon2id's memory cost of new password hashes, in KiB (`CONSOLE_PASSWORD_MEMORY`). */
  passwordMemoryKib?: number;
  /** Checks a password against its hash (argon2id by default); a seam for counting verifications. */
  verifyPassword?: typeof verifyPassword;
  /** Told when an audit event written in the background (a refused sign-in) could not be stored. */
  onBackgroundError?: (error: unknown) => void;
}

const WRONG_CREDENTIALS = "The email or password is not correct.";
const SIGN_IN_AGAIN = "Your session has ended. Sign in again.";

/**
 * Console users and their sign-in: invitations, passwords, the TOTP second factor with recovery
 * codes, and server-side sessions. Only hashes of passwords, tokens and codes are stored, and the
 * TOTP secret encrypted.
 */
export class ConsoleIdentityService {
  readonly #runtime: ServiceRuntime;
  readonly #options: ConsoleIdentityOptions;
  readonly #sessions: ConsoleSessions;
  readonly #users: ConsoleUsers;
  readonly #byEmail: FailureThrottle;
  readonly #byAddress: FailureThrottle;
  readonly #byUser: FailureThrottle;
  readonly #background = new Set<Promise<void>>();

  constructor(runtime: ServiceRuntime, options: ConsoleIdentityOptions) {
    this.#runtime = runtime;
    this.#options = options;
    this.#sessions = new ConsoleSessions(runtime, options.session);
    this.#users = new ConsoleUsers(runtime, options);
    this.#byEmail = new FailureThrottle(options.counter, options.signInLimit, "console-fail-email");
    this.#byAddress = new FailureThrottle(options.counter, options.signInLimit, "console-fail-ip");
    this.#byUser = new FailureThrottle(options.counter, options.signInLimit, "console-fail-code");
  }

  /**
   * Invites a user to an account (or, with no account, an operator) with a one-time link; inviting
   * an email still INVITED to the same account again supersedes the earlier link.
   */
  invite(
    input: { accountId: string | null; email: string; role: ConsoleRole },
    context: RequestContext,
  ): Promise<{ user: ConsoleUser; invitationUrl: string; expiresAt: Date }> {
    return this.#users.invite(input, context);
  }

  /** Looks at an invitation without consuming it (what a GET, a preview or a crawler gets). */
  async invitation(
    token: string,
  ): Promise<
    | { state: "VALID"; email: string; accountId: string | null; expiresAt: Date }
    | { state: UnusableLinkState }
  > {
    if (!CONSOLE_TOKEN_PATTERN.test(token)) return { state: "NOT_FOUND" };
    const found = await this.#runtime.store.findConsoleInvitation(consoleTokenHash(token));
    if (!found) return { state: "NOT_FOUND" };
    const { invitation, user } = found;
    if (invitation.acceptedAt) return { state: "ALREADY_USED" };
    if (invitation.revokedAt || user.status !== "INVITED") return { state: "SUPERSEDED" };
    if (invitation.expiresAt.getTime() <= this.#runtime.clock.now().getTime()) return { state: "EXPIRED" };
    return { state: "VALID", email: user.email, accountId: user.accountId, expiresAt: invitation.expiresAt };
  }

  /** Sets the password and consumes the invitation; the session it starts must enrol the second factor. */
  async acceptInvitation(
    token: string,
    password: string,
    sourceIp: string,
  ): Promise<{ sessionToken: string }> {
    const inspected = await this.invitation(token);
    if (inspected.state !== "VALID") throw unusableLinkError(inspected.state);
    assertUsablePassword(password, inspected.email);
    const found = await this.#runtime.store.findConsoleInvitation(consoleTokenHash(token));
    if (!found) throw unusableLinkError("NOT_FOUND");
    const { user } = found;
    const { token: sessionToken, session } = this.#sessions.create(user.userId, "ENROL");
    const accepted = await this.#runtime.store.acceptConsoleInvitation({
      tokenHash: consoleTokenHash(token),
      now: this.#runtime.clock.now(),
      passwordHash: await hashPassword(password, this.#runtime.random, this.#options.passwordMemoryKib),
      session,
      audit: consoleAudit(this.#runtime, userContext(user, sourceIp), user.accountId, user.userId, {
        action: "console.user_joined",
        statusBefore: "INVITED",
        statusAfter: "ACTIVE",
      }),
    });
    if (accepted.outcome !== "ACCEPTED") throw unusableLinkError(accepted.outcome);
    return { sessionToken };
  }

  /**
   * Email and password: the same error whether the email is unknown or the password wrong. Failures
   * are counted per email and per address; past the limit both answer 429, even to the right password.
   *
   * A failure slot is taken (atomically, in the shared counter) per address and per email BEFORE the
   * password is verified, and given back when it was right: however many guesses arrive at once, at
   * most the limit of them are ever verified. A known and an unknown email do the same work on the
   * way to the answer: the same two reservations, one argon2 verification (of a decoy when there is
   * no user), no refund; the only extra for a known user, the failure's audit event, is written in the
   * background (tracked, see `settled`), so the answer does not wait for it.
   */
  async signIn(
    email: string,
    password: string,
    sourceIp: string,
  ): Promise<{ sessionToken: string; stage: SessionStage }> {
    const normalized = normalizeEmail(email) ?? email.trim().toLowerCase().slice(0, 254);
    const byAddress = await this.#byAddress.reserve(sourceIp);
    if (!byAddress.allowed) throw rateLimited(byAddress, "failed sign-ins");
    const byEmail = await this.#byEmail.reserve(normalized);
    if (!byEmail.allowed) {
      await this.#byAddress.refund(sourceIp);
      throw rateLimited(byEmail, "failed sign-ins");
    }
    const { store, random } = this.#runtime;
    const user = await store.findConsoleUserByEmail(normalized);
    const active = user?.status === "ACTIVE" ? user : null;
    const verify = this.#options.verifyPassword ?? verifyPassword;
    if (
      !(await verify(active?.passwordHash ?? null, password, random, this.#options.passwordMemoryKib)) ||
      !active
    ) {
      // The failure that used up the email's budget is recorded as the throttling.
      if (user) this.#inBackground(this.#recordFailure(user, sourceIp, byEmail.remaining === 0));
      throw new AppError("UNAUTHORIZED", WRONG_CREDENTIALS);
    }
    await Promise.all([this.#byAddress.refund(sourceIp), this.#byEmail.refund(normalized)]);
    const stage: SessionStage = active.secondFactor ? "SECOND_FACTOR" : "ENROL";
    const { token, session } = this.#sessions.create(active.userId, stage);
    await store.insertConsoleSession(session);
    return { sessionToken: token, stage };
  }

  /** Resolves once the audit events written in the background (refused sign-ins) are stored. */
  async settled(): Promise<void> {
    while (this.#background.size > 0) await Promise.all([...this.#background]);
  }

  /** The live session of a token (any stage), its activity recorded; null when it has ended. */
  session(sessionToken: string): Promise<ConsoleSession | null> {
    return this.#sessions.touch(sessionToken);
  }

  /**
   * The TOTP secret offered to an enrolling session; the first valid code confirms it. The same
   * secret is offered again until then (a reload or a mistyped code does not call for a new scan).
   */
  async startEnrolment(sessionToken: string): Promise<{ secret: string; otpauthUri: string }> {
    const { session, user } = await this.#inStage(sessionToken, "ENROL");
    const label = { issuer: this.#options.issuer, email: user.email };
    if (session.pendingTotpCiphertext !== null) {
      return totpOffer(
        openTotpSecret(this.#options.totpKey, user.userId, session.pendingTotpCiphertext),
        label,
      );
    }
    const offered = newTotpSecret(this.#runtime.random, label);
    await this.#runtime.store.offerConsoleTotp({
      sessionId: session.sessionId,
      ciphertext: sealTotpSecret(this.#options.totpKey, user.userId, offered.secret, this.#runtime.random),
    });
    return offered;
  }

  /** Confirms the offered secret with a code; answers the recovery codes (once) and a new session token. */
  async completeEnrolment(
    sessionToken: string,
    code: string,
    sourceIp: string,
  ): Promise<{ sessionToken: string; recoveryCodes: string[] }> {
    const { session, user } = await this.#inStage(sessionToken, "ENROL");
    if (session.pendingTotpCiphertext === null) {
      throw new AppError("INVALID_STATE", "Start the enrolment first: scan the new QR code");
    }
    const secret = openTotpSecret(this.#options.totpKey, user.userId, session.pendingTotpCiphertext);
    const slot = await this.#reserveCodeSlot(user);
    const step = totpStep(secret, code, this.#runtime.clock.now());
    if (step === null) return this.#wrongCode(user, sourceIp, slot);
    await this.#byUser.refund(user.userId);
    const recovery = newRecoveryCodes(this.#runtime.random, user.userId);
    const next = this.#sessions.create(user.userId, "SIGNED_IN", { startedAt: session.createdAt });
    const enrolled = await this.#runtime.store.enrolConsoleSecondFactor({
      userId: user.userId,
      totpCiphertext: sealTotpSecret(this.#options.totpKey, user.userId, secret, this.#runtime.random),
      step,
      recoveryCodeHashes: recovery.hashes,
      endedSessionId: session.sessionId,
      at: this.#runtime.clock.now(),
      session: next.session,
      audit: consoleAudit(this.#runtime, userContext(user, sourceIp), user.accountId, user.userId, {
        action: "console.second_factor_enrolled",
      }),
    });
    if (!enrolled) throw new AppError("UNAUTHORIZED", SIGN_IN_AGAIN);
    return { sessionToken: next.token, recoveryCodes: recovery.codes };
  }

  /** A TOTP code (±1 step, each step once) or an unused recovery code; answers a new session token. */
  async verifySecondFactor(
    sessionToken: string,
    code: string,
    sourceIp: string,
  ): Promise<{ sessionToken: string }> {
    const { session, user } = await this.#inStage(sessionToken, "SECOND_FACTOR");
    const slot = await this.#reserveCodeSlot(user);
    const { store, clock } = this.#runtime;
    let accepted = false;
    if (user.totpCiphertext !== null) {
      const secret = openTotpSecret(this.#options.totpKey, user.userId, user.totpCiphertext);
      const step = totpStep(secret, code, clock.now());
      accepted = step !== null && (await store.useConsoleTotpStep({ userId: user.userId, step }));
    }
    const codeHash = accepted ? null : recoveryCodeHash(user.userId, code);
    if (codeHash !== null) {
      accepted = await store.useConsoleRecoveryCode({ userId: user.userId, codeHash, at: clock.now() });
    }
    if (!accepted) return this.#wrongCode(user, sourceIp, slot);
    await this.#byUser.refund(user.userId);
    const next = this.#sessions.create(user.userId, "SIGNED_IN", { startedAt: session.createdAt });
    const replaced = await store.replaceConsoleSession({
      endedSessionId: session.sessionId,
      at: clock.now(),
      session: next.session,
      audit: consoleAudit(this.#runtime, userContext(user, sourceIp), user.accountId, user.userId, {
        action: "console.signed_in",
        ...(codeHash !== null ? { reason: "RECOVERY_CODE" } : {}),
      }),
    });
    if (!replaced) throw new AppError("UNAUTHORIZED", SIGN_IN_AGAIN);
    return { sessionToken: next.token };
  }

  async signOut(sessionToken: string): Promise<void> {
    if (!CONSOLE_TOKEN_PATTERN.test(sessionToken)) return;
    const found = await this.#runtime.store.findConsoleSession(consoleTokenHash(sessionToken));
    if (found && found.session.endedAt === null) {
      await this.#runtime.store.endConsoleSession({
        sessionId: found.session.sessionId,
        at: this.#runtime.clock.now(),
      });
    }
  }

  /** The account's users, INVITED and ACTIVE, oldest first. */
  listUsers(accountId: string): Promise<ConsoleUser[]> {
    return this.#users.listUsers(accountId);
  }

  /** A new role; the account's last ACTIVE owner cannot be demoted. */
  changeRole(
    accountId: string,
    userId: string,
    role: ConsoleRole,
    context: RequestContext,
  ): Promise<ConsoleUser> {
    return this.#users.changeRole(accountId, userId, role, context);
  }

  /** Removes the user and ends their sessions; the account's last ACTIVE owner cannot be removed. */
  removeUser(accountId: string, userId: string, context: RequestContext): Promise<void> {
    return this.#users.removeUser(accountId, userId, context);
  }

  /**
   * An owner resets a user's sign-in: password, TOTP secret and recovery codes forgotten, sessions
   * ended, a new one-time invitation answered (shown once). Not the account's last active owner.
   */
  resetSignIn(accountId: string, userId: string, context: RequestContext): Promise<ResetSignIn> {
    return this.#users.resetSignIn(accountId, userId, context);
  }

  /** The provider's operator resets any user's sign-in, an account's last owner or an operator included. */
  operatorResetSignIn(userId: string, context: RequestContext): Promise<ResetSignIn> {
    return this.#users.operatorResetSignIn(userId, context);
  }

  /** The provider's operator removes any user (the last-owner guard does not apply; audited as such). */
  operatorRemoveUser(userId: string, context: RequestContext): Promise<ConsoleUser> {
    return this.#users.operatorRemoveUser(userId, context);
  }

  /** The account's users for the provider's operator: 404 when there is no such account. */
  async listAccountUsers(accountId: string): Promise<ConsoleUser[]> {
    if (!(await this.#runtime.store.findAccount(accountId))) throw notFound("Account");
    return this.#users.listUsers(accountId);
  }

  /** The operators (users of no account), INVITED and ACTIVE, oldest first. */
  listOperators(): Promise<ConsoleUser[]> {
    return this.#users.listOperators();
  }

  /** The live session of the token, in the given stage. */
  async #inStage(
    sessionToken: string,
    stage: SessionStage,
  ): Promise<{ session: StoredConsoleSession; user: StoredConsoleUser }> {
    const found = await this.#sessions.live(sessionToken);
    if (!found) throw new AppError("UNAUTHORIZED", SIGN_IN_AGAIN);
    if (found.session.stage !== stage) {
      throw new AppError("INVALID_STATE", "This step of signing in is done or not yet due");
    }
    return found;
  }

  /**
   * Takes one of the user's wrong-code slots before a code is checked (given back when it is right),
   * so codes guessed in parallel cannot get more than the limit checked; 429 when none is left.
   */
  async #reserveCodeSlot(user: StoredConsoleUser): Promise<RateDecision> {
    const slot = await this.#byUser.reserve(user.userId);
    if (!slot.allowed) throw rateLimited(slot, "wrong codes");
    return slot;
  }

  /** A wrong code keeps its slot and is audited (the one that used up the budget as the throttling). */
  async #wrongCode(user: StoredConsoleUser, sourceIp: string, slot: RateDecision): Promise<never> {
    await this.#recordFailure(user, sourceIp, slot.remaining === 0, "code");
    throw invalidParameter("code", "is not a valid code from your authenticator app or a recovery code");
  }

  /** A refused sign-in of a known user is audited: every failure on the account, and the throttling. */
  async #recordFailure(
    user: StoredConsoleUser,
    sourceIp: string,
    exhausted: boolean,
    what: "password" | "code" = "password",
  ): Promise<void> {
    const audit = consoleAudit(
      this.#runtime,
      { actor: { kind: "anonymous" }, sourceIp },
      user.accountId,
      user.userId,
      {
        action: exhausted ? "console.sign_in_throttled" : "console.sign_in_failed",
        reason: what === "password" ? "WRONG_PASSWORD" : "WRONG_CODE",
      },
    );
    if (audit) await this.#runtime.store.insertAuditEvent(audit);
  }

  /** Runs `work` without the caller waiting; `settled` waits for it, a failure is reported. */
  #inBackground(work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((error: unknown) => this.#options.onBackgroundError?.(error))
      .finally(() => this.#background.delete(tracked));
    this.#background.add(tracked);
  }
}

/** The user as the actor of what they do themselves. */
function userContext(user: StoredConsoleUser, sourceIp: string): RequestContext {
  return { actor: { kind: "user", userId: user.userId, email: user.email }, sourceIp };
}
