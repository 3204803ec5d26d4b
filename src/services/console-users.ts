import { normalizeEmail } from "../domain/console-credentials.ts";
import { type ConsoleRole, isAccountRole } from "../domain/console-roles.ts";
import type { ConsoleUser } from "../domain/console-user.ts";
import { AppError, invalidParameter, notFound } from "../domain/errors.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import { type AuditDetails, type AuditEvent, actorLabel } from "../domain/types.ts";
import type { ConsoleInvitation } from "../store/console-port.ts";
import { type AuditFacts, auditEvent } from "./audit.ts";
import { consoleTokenHash, newConsoleToken, publicUser } from "./console-sessions.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

type UserFacts = Omit<AuditFacts, "accountId" | "targetType" | "targetId">;

/** Who may sign in to the console: invitations, roles, removal, sign-in resets. */
export class ConsoleUsers {
  readonly #runtime: ServiceRuntime;
  readonly #options: { publicUrl: string; invitationTtlMs: number };

  constructor(runtime: ServiceRuntime, options: { publicUrl: string; invitationTtlMs: number }) {
    this.#runtime = runtime;
    this.#options = options;
  }

  /**
   * Invites a user to an account (or, with no account, an operator) with a one-time link; inviting
   * an email still INVITED to the same account again supersedes the earlier link.
   */
  async invite(
    input: { accountId: string | null; email: string; role: ConsoleRole },
    context: RequestContext,
  ): Promise<{ user: ConsoleUser; invitationUrl: string; expiresAt: Date }> {
    const email = normalizeEmail(input.email);
    if (email === null) throw invalidParameter("email", "must be an email address");
    const { accountId, role } = input;
    if (accountId === null ? role !== "operator" : !isAccountRole(role)) {
      throw invalidParameter(
        "role",
        accountId === null ? 'must be "operator"' : "must be owner, developer or viewer",
      );
    }
    if (accountId !== null && !(await this.#runtime.store.findAccount(accountId))) throw notFound("Account");
    const { clock, random, store } = this.#runtime;
    const existing = await store.findConsoleUserByEmail(email);
    if (existing && (existing.status !== "INVITED" || existing.accountId !== accountId)) {
      throw new AppError("RESOURCE_CONFLICT", "A console user with this email exists already");
    }
    const userId = existing?.userId ?? newUuidV7(clock, random);
    const { invitation, invitationUrl } = this.#newInvitation(userId);
    const now = invitation.createdAt;
    const audit = consoleAudit(this.#runtime, context, accountId, userId, {
      action: "console.user_invited",
      statusAfter: "INVITED",
      details: { email, role },
    });
    let user: ConsoleUser | null;
    if (existing) {
      const updated = await store.reinviteConsoleUser({ userId, role, invitation, audit });
      user = updated && publicUser(updated);
    } else {
      user = {
        userId,
        accountId,
        email,
        role,
        status: "INVITED",
        secondFactor: false,
        createdAt: now,
        createdBy: actorLabel(context.actor),
        lastSignInAt: null,
      };
      if (!(await store.insertConsoleUser({ user, invitation, audit }))) user = null;
    }
    if (!user) throw new AppError("RESOURCE_CONFLICT", "A console user with this email exists already");
    return { user, invitationUrl, expiresAt: invitation.expiresAt };
  }

  /** A new one-time invitation of the user (not yet stored) and its link, shown once. */
  #newInvitation(userId: string): { invitation: ConsoleInvitation; invitationUrl: string } {
    const { clock, random } = this.#runtime;
    const token = newConsoleToken(this.#runtime);
    const now = clock.now();
    const invitation: ConsoleInvitation = {
      invitationId: newUuidV7(clock, random),
      userId,
      tokenHash: consoleTokenHash(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.#options.invitationTtlMs),
      acceptedAt: null,
      revokedAt: null,
    };
    const base = this.#options.publicUrl.replace(/\/+$/, "");
    return { invitation, invitationUrl: `${base}/console/invitations/${token}` };
  }

  /** The account's users, INVITED and ACTIVE, oldest first. */
  async listUsers(accountId: string): Promise<ConsoleUser[]> {
    return (await this.#runtime.store.listConsoleUsers(accountId)).map(publicUser);
  }

  /** A new role; the account's last ACTIVE owner cannot be demoted. */
  async changeRole(
    accountId: string,
    userId: string,
    role: ConsoleRole,
    context: RequestContext,
  ): Promise<ConsoleUser> {
    if (!isAccountRole(role)) throw invalidParameter("role", "must be owner, developer or viewer");
    const changed = await this.#runtime.store.changeConsoleUserRole({
      accountId,
      userId,
      role,
      audit: accountAudit(this.#runtime, context, accountId, userId, {
        action: "console.role_changed",
        details: { role },
      }),
    });
    if (changed.outcome === "NOT_FOUND") throw notFound("User");
    if (changed.outcome === "LAST_OWNER") throw lastOwner("demoted");
    return publicUser(changed.user);
  }

  /** Removes the user and ends their sessions; the account's last ACTIVE owner cannot be removed. */
  async removeUser(accountId: string, userId: string, context: RequestContext): Promise<void> {
    const removed = await this.#runtime.store.removeConsoleUser({
      accountId,
      userId,
      at: this.#runtime.clock.now(),
      audit: accountAudit(this.#runtime, context, accountId, userId, {
        action: "console.user_removed",
        statusAfter: "REMOVED",
      }),
    });
    if (removed.outcome === "NOT_FOUND") throw notFound("User");
    if (removed.outcome === "LAST_OWNER") throw lastOwner("removed");
  }

  /**
   * An owner resets how a user of their account signs in: the password, the TOTP secret and the
   * recovery codes are forgotten, their sessions end, and a new one-time invitation is answered
   * (shown once, for the owner to send) where they choose a password and enrol again. Nothing
   * of the old password survives, so holding it no longer helps. The last active owner cannot be
   * reset this way (the provider's operator can: `operatorResetSignIn`).
   */
  async resetSignIn(accountId: string, userId: string, context: RequestContext): Promise<ResetSignIn> {
    return this.#resetSignIn({ accountId, userId, guardLastOwner: true, context, details: undefined });
  }

  /**
   * The provider's operator resets any user's sign-in (an account's user, its last owner included,
   * or an operator), as `resetSignIn` does: for the locked-out who have lost the password, or the
   * phone and the recovery codes.
   */
  async operatorResetSignIn(userId: string, context: RequestContext): Promise<ResetSignIn> {
    const user = await this.#runtime.store.findConsoleUser(userId);
    if (!user || user.status === "REMOVED") throw notFound("User");
    const details = await this.#guardNotApplied(user.accountId, userId);
    return this.#resetSignIn({ accountId: user.accountId, userId, guardLastOwner: false, context, details });
  }

  /** The provider's operator removes any user: the last-owner guard does not apply (it says so in the audit). */
  async operatorRemoveUser(userId: string, context: RequestContext): Promise<ConsoleUser> {
    const user = await this.#runtime.store.findConsoleUser(userId);
    if (!user || user.status === "REMOVED") throw notFound("User");
    const details = await this.#guardNotApplied(user.accountId, userId);
    const removed = await this.#runtime.store.removeConsoleUser({
      accountId: user.accountId,
      userId,
      at: this.#runtime.clock.now(),
      guardLastOwner: false,
      audit: consoleAudit(this.#runtime, context, user.accountId, userId, {
        action: "console.user_removed",
        statusBefore: user.status,
        statusAfter: "REMOVED",
        ...(details ? { details } : {}),
      }),
    });
    if (removed.outcome !== "CHANGED") throw notFound("User");
    return publicUser(removed.user);
  }

  /** The operators (users of no account), INVITED and ACTIVE, oldest first. */
  async listOperators(): Promise<ConsoleUser[]> {
    return (await this.#runtime.store.listConsoleOperators()).map(publicUser);
  }

  /** An operator's change to an account's user records that the last-owner guard was not applied. */
  async #guardNotApplied(accountId: string | null, userId: string): Promise<AuditDetails | undefined> {
    if (accountId === null) return undefined;
    const owners = (await this.#runtime.store.listConsoleUsers(accountId)).filter(
      (u) => u.role === "owner" && u.status === "ACTIVE",
    );
    const last = owners.length === 1 && owners[0]?.userId === userId;
    return { last_owner_guard: "not applied (provider operator)", last_active_owner: last ? "yes" : "no" };
  }

  async #resetSignIn(input: {
    accountId: string | null;
    userId: string;
    guardLastOwner: boolean;
    context: RequestContext;
    details: AuditDetails | undefined;
  }): Promise<ResetSignIn> {
    const { invitation, invitationUrl } = this.#newInvitation(input.userId);
    const reset = await this.#runtime.store.resetConsoleUserSignIn({
      accountId: input.accountId,
      userId: input.userId,
      at: invitation.createdAt,
      guardLastOwner: input.guardLastOwner,
      invitation,
      audit: consoleAudit(this.#runtime, input.context, input.accountId, input.userId, {
        action: "console.sign_in_reset",
        statusAfter: "INVITED",
        ...(input.details ? { details: input.details } : {}),
      }),
    });
    if (reset.outcome === "NOT_FOUND") throw notFound("User");
    if (reset.outcome === "LAST_OWNER") throw lastOwner("reset");
    return { user: publicUser(reset.user), invitationUrl, expiresAt: invitation.expiresAt };
  }
}

/** What resetting a user's sign-in answers: the user, INVITED again, and their new one-time link. */
export interface ResetSignIn {
  user: ConsoleUser;
  invitationUrl: string;
  expiresAt: Date;
}

/** The audit event of a change to a console user: only users of an account have a trail to write to. */
export function consoleAudit(
  runtime: ServiceRuntime,
  context: RequestContext,
  accountId: string | null,
  userId: string,
  facts: UserFacts,
): AuditEvent | null {
  return accountId === null ? null : accountAudit(runtime, context, accountId, userId, facts);
}

function accountAudit(
  runtime: ServiceRuntime,
  context: RequestContext,
  accountId: string,
  userId: string,
  facts: UserFacts,
): AuditEvent {
  return auditEvent(runtime, context, { ...facts, accountId, targetType: "CONSOLE_USER", targetId: userId });
}

function lastOwner(what: "demoted" | "removed" | "reset"): AppError {
  return new AppError(
    "INVALID_STATE",
    `The account's last active owner cannot be ${what}: make another user owner first${
      what === "reset" ? ", or ask the provider's support" : ""
    }`,
  );
}
