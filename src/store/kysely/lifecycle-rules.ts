import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { LifecycleThresholds } from "../../domain/lifecycle-policy.ts";
import {
  LIFECYCLE_TABLE,
  type LifecycleEffect,
  type LifecycleRule,
  type LifecycleSelection,
} from "../../domain/lifecycle-rules.ts";
import { iso } from "./rows.ts";
import type { Database } from "./tables.ts";

type CredentialFilter = (eb: ExpressionBuilder<Database, "credentials">) => Expression<SqlBool>;
type CredentialChange = Partial<Database["credentials"]>;
type InstantColumn = "expires_at" | "activity_at";

const COLUMN: Record<LifecycleSelection["instant"], InstantColumn> = {
  expiresAt: "expires_at",
  activityAt: "activity_at",
};

/**
 * The instant each rule's candidates are read in order of (with the id after it): the column its
 * range is on, so that the index on (status, that column, credential_id) yields the candidates in
 * order and each batch continues from the last one without re-reading the rows before it.
 */
export function ruleOrder(rule: LifecycleRule): InstantColumn {
  return COLUMN[LIFECYCLE_TABLE[rule].selects.instant];
}

/**
 * When a lifecycle rule applies to a credential, as SQL: the rule's selection in the domain table,
 * as of the thresholds. Used both to find candidates and to guard the update.
 */
export function ruleApplies(rule: LifecycleRule, t: LifecycleThresholds): CredentialFilter {
  const s = LIFECYCLE_TABLE[rule].selects;
  const column = COLUMN[s.instant];
  const at = (threshold: keyof LifecycleThresholds): string => iso(t[threshold]);
  return (eb) => {
    const terms: Expression<SqlBool>[] = [eb("status", "=", s.status)];
    // Only rotating credentials have an expiry: this also lets the partial index on it serve.
    if (column === "expires_at") terms.push(eb(column, "is not", null));
    if (s.before) terms.push(eb(column, "<", at(s.before)));
    if (s.atOrBefore) terms.push(eb(column, "<=", at(s.atOrBefore)));
    if (s.atOrAfter) terms.push(eb(column, ">=", at(s.atOrAfter)));
    if (s.after) terms.push(eb(column, ">", at(s.after)));
    if (s.rotationEnd) terms.push(eb("rotation_end", "=", s.rotationEnd));
    if (s.unusedSince) {
      terms.push(eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", at(s.unusedSince))]));
    }
    if (s.successorUsed) {
      terms.push(
        eb.exists(
          eb
            .selectFrom("credentials as successor")
            .select(sql`1`.as("one"))
            .whereRef("successor.credential_id", "=", "credentials.rotated_to")
            .where("successor.last_used_at", "is not", null),
        ),
      );
    }
    if (s.unwarned) {
      terms.push(
        eb.or([
          eb("inactivity_warned_at", "is", null),
          eb("inactivity_warned_at", "<", eb.ref("activity_at")),
        ]),
      );
    }
    return eb.and(terms);
  };
}

/** What applying a lifecycle rule changes: the rule's effect in the domain table, stamped `now`. */
export function ruleChange(rule: LifecycleRule, t: LifecycleThresholds): CredentialChange {
  return effectChange(LIFECYCLE_TABLE[rule].effect, iso(t.now));
}

function effectChange(effect: LifecycleEffect, now: string): CredentialChange {
  switch (effect.to) {
    case null:
      return { inactivity_warned_at: now };
    case "DISABLED":
      return { status: "DISABLED", status_reason: effect.reason, disabled_at: now };
    case "DELETED":
      // A tombstone: nothing left that could authenticate.
      return {
        status: "DELETED",
        status_reason: effect.reason,
        deleted_at: now,
        secret_hash: null,
        pepper_version: null,
        client_id: null,
      };
  }
}
