import { createHash } from "node:crypto";
import type { ConsoleSession, ConsoleUser, SessionLimits, SessionStage } from "../domain/console-user.ts";
import { sessionAlive } from "../domain/console-user.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import type { StoredConsoleSession, StoredConsoleUser } from "../store/console-port.ts";
import type { ServiceRuntime } from "./runtime.ts";

/** Session and invitation tokens: 32 random bytes in base64url (43 characters). */
export const CONSOLE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A session's last activity is written at most this often (idle expiry is counted in minutes). */
const TOUCH_AFTER_MS = 60_000;

/** Only the SHA-256 of a token is stored; the token itself lives in the cookie or the link. */
export function consoleTokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token: 32 random bytes, base64url. */
export function newConsoleToken(runtime: ServiceRuntime): string {
  return Buffer.from(runtime.random.bytes(32)).toString("base64url");
}

/** The user as the console shows it: what is stored, without the hashes and the secret. */
export function publicUser(user: StoredConsoleUser): ConsoleUser {
  return {
    userId: user.userId,
    accountId: user.accountId,
    email: user.email,
    role: user.role,
    status: user.status,
    secondFactor: user.secondFactor,
    createdAt: user.createdAt,
    createdBy: user.createdBy,
    lastSignInAt: user.lastSignInAt,
  };
}

/** Server-side sessions: made with a fresh token, found by its hash, ended by time or by the user. */
export class ConsoleSessions {
  readonly #runtime: ServiceRuntime;
  readonly #limits: SessionLimits;

  constructor(runtime: ServiceRuntime, limits: SessionLimits) {
    this.#runtime = runtime;
    this.#limits = limits;
  }

  /**
   * A session not yet stored, and its token (returned to the browser once). A successor (the next
   * stage of the same sign-in) keeps its predecessor's start, so the absolute limit counts from it.
   */
  create(
    userId: string,
    stage: SessionStage,
    options: { startedAt?: Date } = {},
  ): { token: string; session: StoredConsoleSession } {
    const { clock, random } = this.#runtime;
    const token = newConsoleToken(this.#runtime);
    const now = clock.now();
    return {
      token,
      session: {
        sessionId: newUuidV7(clock, random),
        userId,
        tokenHash: consoleTokenHash(token),
        stage,
        createdAt: options.startedAt ?? now,
        lastSeenAt: now,
        endedAt: null,
        pendingTotpCiphertext: null,
      },
    };
  }

  /**
   * The live session of a token and its user: null when unknown, ended, idle too long, too old, or
   * its user is no longer ACTIVE.
   */
  async live(token: string): Promise<{ session: StoredConsoleSession; user: StoredConsoleUser } | null> {
    if (!CONSOLE_TOKEN_PATTERN.test(token)) return null;
    const found = await this.#runtime.store.findConsoleSession(consoleTokenHash(token));
    if (!found || found.session.endedAt !== null || found.user.status !== "ACTIVE") return null;
    const now = this.#runtime.clock.now();
    if (!sessionAlive(found.session, now, this.#limits)) {
      // Ended for good: a clock stepping back cannot bring it alive again.
      await this.#runtime.store.endConsoleSession({ sessionId: found.session.sessionId, at: now });
      return null;
    }
    return found;
  }

  /** The live session, its activity moved to now. */
  async touch(token: string): Promise<ConsoleSession | null> {
    const found = await this.live(token);
    if (!found) return null;
    const { session, user } = found;
    const now = this.#runtime.clock.now();
    let lastSeenAt = session.lastSeenAt;
    if (now.getTime() - lastSeenAt.getTime() >= TOUCH_AFTER_MS) {
      await this.#runtime.store.touchConsoleSession({ sessionId: session.sessionId, at: now });
      lastSeenAt = now;
    }
    return {
      sessionId: session.sessionId,
      user: publicUser(user),
      stage: session.stage,
      createdAt: session.createdAt,
      lastSeenAt,
    };
  }
}
