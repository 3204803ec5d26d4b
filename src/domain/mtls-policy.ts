import { AppError, invalidParameter } from "./errors.ts";
import type { Account } from "./types.ts";

export const MTLS_STATUSES = ["NOT_PRESENT", "VALID", "INVALID"] as const;
export type MtlsStatus = (typeof MTLS_STATUSES)[number];

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A real calendar instant: no 30 February, no hour 24, at most millisecond precision. */
function parseInstant(value: string): number | null {
  const m = INSTANT.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number);
  const probe = new Date(
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0),
  );
  const valid =
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() + 1 === month &&
    probe.getUTCDate() === day &&
    probe.getUTCHours() === hour &&
    probe.getUTCMinutes() === minute &&
    probe.getUTCSeconds() === second;
  const at = Date.parse(value);
  return valid && !Number.isNaN(at) ? at : null;
}

/** Three calendar months after `now` (the reference API's scheduling limit). */
export function threeMonthsAfter(now: Date): Date {
  const limit = new Date(now.getTime());
  limit.setUTCMonth(limit.getUTCMonth() + 3);
  return limit;
}

/** `enforced_from`: "NOW" or an instant that is not in the past and at most three months ahead. */
export function parseEnforcedFrom(value: string, now: Date): Date {
  if (value === "NOW") return now;
  const at = parseInstant(value);
  if (at === null) {
    throw invalidParameter(
      "enforced_from",
      'must be "NOW" or an ISO 8601 instant with offset (e.g. 2027-01-31T09:00:00Z)',
    );
  }
  if (at < now.getTime()) throw invalidParameter("enforced_from", "must not be in the past");
  if (at > threeMonthsAfter(now).getTime())
    throw invalidParameter("enforced_from", "must be at most 3 months ahead");
  return new Date(at);
}

export function mtlsRequired(): AppError {
  return new AppError(
    "MTLS_REQUIRED",
    "This account requires a valid client certificate (mTLS) with every request",
  );
}

/** The operator's mTLS requirement: whose calls need it, and how long a new account has to set it up. */
export interface MtlsRequirement {
  requiredFor: "none" | "acquiring_partners";
  gracePeriodMs: number;
}

/** Whether the account's mTLS enforcement is in effect at `now` (not merely scheduled). */
export function mtlsEnforcedAt(account: Account, now: Date): boolean {
  const from = account.security.mtlsEnforcedFrom;
  return from !== null && from.getTime() <= now.getTime();
}

/**
 * The instant from which the account's calls are refused unless its mTLS is enforced: its creation
 * plus the grace period; null when the requirement does not apply to it or it has enforced mTLS.
 */
export function mtlsDeadline(account: Account, requirement: MtlsRequirement, now: Date): Date | null {
  if (requirement.requiredFor !== "acquiring_partners" || account.kind !== "ACQUIRING_PARTNER") return null;
  if (mtlsEnforcedAt(account, now)) return null;
  return new Date(account.createdAt.getTime() + requirement.gracePeriodMs);
}

/**
 * The endpoints an account needs to set mTLS up, which stay open to it after its deadline: its
 * account, its client certificates (and the CA to trust), and its mTLS enforcement.
 */
export function isMtlsSetupRoute(method: string, url: string): boolean {
  if (url === "/v1/account") return method === "GET";
  return (
    url === "/v1/account/mtls-enforcement" ||
    (url.startsWith("/v1/account/client-certificates") && method !== "DELETE")
  );
}
