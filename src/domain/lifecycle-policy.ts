import { parseIsoDuration } from "./duration.ts";
import { AppError, invalidParameter } from "./errors.ts";
import type { Credential } from "./types.ts";

/** How long credentials may stay idle, and how rotations end. All durations in milliseconds. */
export interface LifecyclePolicy {
  disableAfterMs: number;
  deleteAfterMs: number;
  warnBeforeMs: number;
  rotationQuietPeriodMs: number;
}

/** The instants the rules compare against: the rules themselves run as guarded SQL updates. */
export interface LifecycleThresholds {
  now: Date;
  /** ACTIVE credentials idle since this instant or earlier get the inactivity warning. */
  warnIdleSince: Date;
  /** ACTIVE credentials idle since before this (strictly) are disabled (INACTIVITY). */
  disableIdleSince: Date;
  /** DISABLED credentials idle since before this (strictly) are deleted. */
  deleteIdleSince: Date;
  /** WHEN_OLD_KEY_IDLE: the old key must not have been used since this. */
  quietSince: Date;
}

export function lifecycleThresholds(policy: LifecyclePolicy, now: Date): LifecycleThresholds {
  const before = (ms: number): Date => new Date(now.getTime() - ms);
  return {
    now,
    warnIdleSince: before(policy.disableAfterMs - policy.warnBeforeMs),
    disableIdleSince: before(policy.disableAfterMs),
    deleteIdleSince: before(policy.deleteAfterMs),
    quietSince: before(policy.rotationQuietPeriodMs),
  };
}

export const DEFAULT_ROTATION_OVERLAP = "PT24H";
export const MAX_ROTATION_OVERLAP_MS = 30 * 86_400_000;

/** The overlap of a rotation request, validated: an ISO 8601 duration from PT0S to P30D. */
export function parseRotationOverlap(text: string | undefined): number {
  const ms = parseIsoDuration(text ?? DEFAULT_ROTATION_OVERLAP);
  if (ms === null) {
    throw invalidParameter("overlap", "must be an ISO 8601 duration such as PT24H, P7D or PT0S");
  }
  if (ms > MAX_ROTATION_OVERLAP_MS) throw invalidParameter("overlap", "must be at most P30D");
  return ms;
}

/** Whether a credential can be rotated: once, while it is active (what `assertCanRotate` checks). */
export function canRotate(credential: Pick<Credential, "status" | "rotatedTo" | "expiresAt">): boolean {
  return credential.status === "ACTIVE" && credential.rotatedTo === null && credential.expiresAt === null;
}

/** A credential can be rotated once, while it is active. */
export function assertCanRotate(credential: Credential): void {
  if (canRotate(credential)) return;
  if (credential.status !== "ACTIVE") {
    throw new AppError(
      "INVALID_STATE",
      `Only an ACTIVE credential can be rotated; this one is ${credential.status}`,
    );
  }
  throw new AppError(
    "INVALID_STATE",
    "This credential is already being rotated; rotate its successor instead",
  );
}
