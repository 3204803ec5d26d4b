import type { ConsoleRole } from "./console-roles.ts";

export type ConsoleUserStatus = "INVITED" | "ACTIVE" | "REMOVED";

/** A person who signs in to the console: a user of one account, or (no account) the provider's operator. */
export interface ConsoleUser {
  /** A UUIDv7, like every other id. */
  userId: string;
  /** null for operators. */
  accountId: string | null;
  /** Lower-cased. */
  email: string;
  role: ConsoleRole;
  status: ConsoleUserStatus;
  /** TOTP enrolled. */
  secondFactor: boolean;
  createdAt: Date;
  createdBy: string;
  lastSignInAt: Date | null;
}

/**
 * How far a session has come: ENROL (password set or given, no second factor yet), SECOND_FACTOR
 * (password given, TOTP or a recovery code still due), SIGNED_IN.
 */
export type SessionStage = "ENROL" | "SECOND_FACTOR" | "SIGNED_IN";

export interface ConsoleSession {
  sessionId: string;
  user: ConsoleUser;
  stage: SessionStage;
  createdAt: Date;
  lastSeenAt: Date;
}

/**
 * When a session ends on its own: idle for longer than `idleMs`, or older than `maxMs`; a session
 * still signing in (ENROL, SECOND_FACTOR) older than `signInStepMs` (counted from its start, however
 * active), so a password alone never holds a session for long.
 */
export interface SessionLimits {
  idleMs: number;
  maxMs: number;
  signInStepMs: number;
}

/** Whether a session seen last at `lastSeenAt` and begun at `createdAt` is still alive at `now`. */
export function sessionAlive(
  session: { createdAt: Date; lastSeenAt: Date; stage: SessionStage },
  now: Date,
  limits: SessionLimits,
): boolean {
  const at = now.getTime();
  const maxMs = session.stage === "SIGNED_IN" ? limits.maxMs : Math.min(limits.maxMs, limits.signInStepMs);
  return at - session.lastSeenAt.getTime() < limits.idleMs && at - session.createdAt.getTime() < maxMs;
}
