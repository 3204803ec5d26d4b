import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { LifecycleThresholds } from "../../domain/lifecycle-policy.ts";
import type { LifecycleRule } from "../port.ts";
import { iso } from "./rows.ts";
import type { Database } from "./tables.ts";

type CredentialFilter = (eb: ExpressionBuilder<Database, "credentials">) => Expression<SqlBool>;
type CredentialChange = Partial<Database["credentials"]>;

/** When a lifecycle rule applies to a credential: used both to find candidates and to guard the update. */
export function ruleApplies(rule: LifecycleRule, t: LifecycleThresholds): CredentialFilter {
  const now = iso(t.now);
  switch (rule) {
    case "ROTATION_EXPIRED":
      return (eb) =>
        eb.and([eb("status", "=", "ACTIVE"), eb("expires_at", "is not", null), eb("expires_at", "<=", now)]);
    case "ROTATION_OLD_KEY_IDLE":
      return (eb) =>
        eb.and([
          eb("status", "=", "ACTIVE"),
          eb("rotation_end", "=", "WHEN_OLD_KEY_IDLE"),
          eb("expires_at", ">", now),
          eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", iso(t.quietSince))]),
          eb.exists(
            eb
              .selectFrom("credentials as successor")
              .select(sql`1`.as("one"))
              .whereRef("successor.credential_id", "=", "credentials.rotated_to")
              .where("successor.last_used_at", "is not", null),
          ),
        ]);
    case "INACTIVITY_WARNING":
      return (eb) =>
        eb.and([
          eb("status", "=", "ACTIVE"),
          eb("activity_at", "<=", iso(t.warnIdleSince)),
          eb("activity_at", ">=", iso(t.disableIdleSince)),
          eb.or([
            eb("inactivity_warned_at", "is", null),
            eb("inactivity_warned_at", "<", eb.ref("activity_at")),
          ]),
        ]);
    case "INACTIVITY_DISABLE":
      return (eb) => eb.and([eb("status", "=", "ACTIVE"), eb("activity_at", "<", iso(t.disableIdleSince))]);
    case "INACTIVITY_DELETE":
      return (eb) => eb.and([eb("status", "=", "DISABLED"), eb("activity_at", "<", iso(t.deleteIdleSince))]);
  }
}

/**
 * The instant each rule's candidates are read in order of (with the id after it): the column its
 * range is on, so that the index on (status, that column, credential_id) yields the candidates in
 * order and each batch continues from the last one without re-reading the rows before it.
 */
export function ruleOrder(rule: LifecycleRule): "expires_at" | "activity_at" {
  return rule === "ROTATION_EXPIRED" || rule === "ROTATION_OLD_KEY_IDLE" ? "expires_at" : "activity_at";
}

/** What applying a lifecycle rule changes. Deletion wipes the hash and leaves a tombstone. */
export function ruleChange(rule: LifecycleRule, t: LifecycleThresholds): CredentialChange {
  const now = iso(t.now);
  switch (rule) {
    case "ROTATION_EXPIRED":
    case "ROTATION_OLD_KEY_IDLE":
      return { status: "DISABLED", status_reason: "ROTATED", disabled_at: now };
    case "INACTIVITY_WARNING":
      return { inactivity_warned_at: now };
    case "INACTIVITY_DISABLE":
      return { status: "DISABLED", status_reason: "INACTIVITY", disabled_at: now };
    case "INACTIVITY_DELETE":
      return {
        status: "DELETED",
        status_reason: "INACTIVITY",
        deleted_at: now,
        secret_hash: null,
        pepper_version: null,
        client_id: null,
      };
  }
}
