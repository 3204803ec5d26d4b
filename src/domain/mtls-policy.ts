import { AppError, invalidParameter } from "./errors.ts";

export const MTLS_STATUSES = ["NOT_PRESENT", "VALID", "INVALID"] as const;
export type MtlsStatus = (typeof MTLS_STATUSES)[number];

/** The reference API allows scheduling enforcement at most three months ahead. */
export const MAX_ENFORCEMENT_LEAD_MS = 92 * 86_400_000;

/** `enforced_from`: "NOW" or an instant that is not in the past and at most three months ahead. */
export function parseEnforcedFrom(value: string, now: Date): Date {
  if (value === "NOW") return now;
  const at = Date.parse(value);
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(at)
  ) {
    throw invalidParameter("enforced_from", 'must be "NOW" or an ISO 8601 instant with offset');
  }
  if (at < now.getTime()) throw invalidParameter("enforced_from", "must not be in the past");
  if (at > now.getTime() + MAX_ENFORCEMENT_LEAD_MS) {
    throw invalidParameter("enforced_from", "must be at most 3 months ahead");
  }
  return new Date(at);
}

export function mtlsRequired(): AppError {
  return new AppError(
    "MTLS_REQUIRED",
    "This account requires a valid client certificate (mTLS) with every request",
  );
}
