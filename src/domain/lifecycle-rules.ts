import type { LifecycleThresholds } from "./lifecycle-policy.ts";
import type { CredentialStatus, RotationEnd, StatusReason } from "./types.ts";

/** The lifecycle rules of DESIGN §5, in the order a sweep applies them. */
export const LIFECYCLE_RULES = [
  "ROTATION_EXPIRED",
  "ROTATION_OLD_KEY_IDLE",
  "INACTIVITY_WARNING",
  "INACTIVITY_DISABLE",
  "INACTIVITY_DELETE",
] as const;
export type LifecycleRule = (typeof LIFECYCLE_RULES)[number];

/** One of the instants a sweep compares against (see `lifecycleThresholds`). */
export type Threshold = keyof LifecycleThresholds;

/**
 * Which credentials a rule selects: a status, and a range of one of their instants against the
 * sweep's thresholds (candidates are read in that instant's order), and any further conditions.
 */
export interface LifecycleSelection {
  status: CredentialStatus;
  /** The instant compared with the thresholds; the rule's index is on (status, instant, id). */
  instant: "expiresAt" | "activityAt";
  /** The instant is strictly before this threshold. */
  before?: Threshold;
  /** The instant is at or before this threshold. */
  atOrBefore?: Threshold;
  /** The instant is at or after this threshold. */
  atOrAfter?: Threshold;
  /** The instant is strictly after this threshold. */
  after?: Threshold;
  /** The rotation was asked to end this way. */
  rotationEnd?: RotationEnd;
  /** The credential has not been used since this threshold (or never). */
  unusedSince?: Threshold;
  /** The credential's successor (it was rotated to) has been used. */
  successorUsed?: true;
  /** No inactivity warning was given since the credential was last active. */
  unwarned?: true;
}

/**
 * What a rule does to each credential it selects: moves it to `to`, recording `reason` (disabling
 * stamps `disabledAt`; deleting stamps `deletedAt` and wipes the secret, leaving a tombstone), or,
 * with `to` null, leaves the status alone and records the inactivity warning.
 */
export interface LifecycleEffect {
  to: "DISABLED" | "DELETED" | null;
  reason: StatusReason;
}

export interface LifecycleRuleDefinition {
  /** ROTATION rules also run on the short rotation interval; INACTIVITY ones with the full sweep. */
  group: "ROTATION" | "INACTIVITY";
  selects: LifecycleSelection;
  effect: LifecycleEffect;
  /** The action of the audit event written for each credential changed. */
  auditAction: string;
}

/**
 * Every lifecycle rule, once: the lifecycle service reads the effects and audit actions, the store
 * turns the selections into its guarded queries and the effects into its updates. A rule's name
 * is also its label on the transitions metric.
 */
export const LIFECYCLE_TABLE: { readonly [R in LifecycleRule]: LifecycleRuleDefinition } = {
  // A rotation's overlap is over.
  ROTATION_EXPIRED: {
    group: "ROTATION",
    selects: { status: "ACTIVE", instant: "expiresAt", atOrBefore: "now" },
    effect: { to: "DISABLED", reason: "ROTATED" },
    auditAction: "credential.disabled",
  },
  // WHEN_OLD_KEY_IDLE: the successor is in use and the old key has been quiet, before its expiry.
  ROTATION_OLD_KEY_IDLE: {
    group: "ROTATION",
    selects: {
      status: "ACTIVE",
      instant: "expiresAt",
      after: "now",
      rotationEnd: "WHEN_OLD_KEY_IDLE",
      unusedSince: "quietSince",
      successorUsed: true,
    },
    effect: { to: "DISABLED", reason: "ROTATED" },
    auditAction: "credential.disabled",
  },
  // Idle long enough to be warned, not yet long enough to be disabled; once per idle period.
  INACTIVITY_WARNING: {
    group: "INACTIVITY",
    selects: {
      status: "ACTIVE",
      instant: "activityAt",
      atOrBefore: "warnIdleSince",
      atOrAfter: "disableIdleSince",
      unwarned: true,
    },
    effect: { to: null, reason: "INACTIVITY" },
    auditAction: "credential.inactivity_warning",
  },
  INACTIVITY_DISABLE: {
    group: "INACTIVITY",
    selects: { status: "ACTIVE", instant: "activityAt", before: "disableIdleSince" },
    effect: { to: "DISABLED", reason: "INACTIVITY" },
    auditAction: "credential.disabled",
  },
  INACTIVITY_DELETE: {
    group: "INACTIVITY",
    selects: { status: "DISABLED", instant: "activityAt", before: "deleteIdleSince" },
    effect: { to: "DELETED", reason: "INACTIVITY" },
    auditAction: "credential.deleted",
  },
};

/** The rules the frequent rotation sweep runs. */
export const ROTATION_RULES: readonly LifecycleRule[] = LIFECYCLE_RULES.filter(
  (rule) => LIFECYCLE_TABLE[rule].group === "ROTATION",
);
