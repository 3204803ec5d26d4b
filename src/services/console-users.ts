import { normalizeEmail } from "../domain/console-credentials.ts";
import { type ConsoleRole, isAccountRole } from "../domain/console-roles.ts";
import type { ConsoleUser } from "../domain/console-user.ts";
import { AppError, invalidParameter, notFound } from "../domain/errors.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import { type AuditEvent, actorLabel } from "../domain/types.ts";
import type { ConsoleInvitation } from "../store/console-port.ts";
import { type AuditFacts, auditEvent } from "./audit.ts";
import { consoleTokenHash, newConsoleToken, publicUser } from "./console-sessions.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

type UserFacts = Omit<AuditFacts, "accountId" | "targetType" | "targetId">;

/** Who may sign in to the console: invitations, roles, removal, second-factor resets. */
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
    const base = this.#options.publicUrl.replace(/\/+$/, "");
    return { user, invitationUrl: `${base}/console/invitations/${token}`, expiresAt: invitation.expiresAt };
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

  /** Forgets the user's TOTP secret and recovery codes and ends their sessions: they enrol again. */
  async resetSecondFactor(accountId: string, userId: string, context: RequestContext): Promise<ConsoleUser> {
    const reset = await this.#runtime.store.resetConsoleSecondFactor({
      accountId,
      userId,
      at: this.#runtime.clock.now(),
      audit: accountAudit(this.#runtime, context, accountId, userId, {
        action: "console.second_factor_reset",
      }),
    });
    if (!reset) throw notFound("User");
    return publicUser(reset);
  }
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

function lastOwner(what: "demoted" | "removed"): AppError {
  return new AppError(
    "INVALID_STATE",
    `The account's last active owner cannot be ${what}: make another user owner first`,
  );
}
