import type { IpEnforcementMode } from "./ip-allow-list.ts";

/** What the IP allow-list in force said of a request's address; null when no list was in force. */
export type IpVerdict = "ALLOWED" | "DENIED" | null;

/** Addresses not seen for this long leave the report. */
export const ADDRESSES_SEEN_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
/** The report keeps at most this many addresses per account, the most recently seen. */
export const ADDRESSES_SEEN_PER_ACCOUNT = 100;
/**
 * Distinct (account, address) pairs an instance holds between two flushes: requests from a pair
 * beyond them are not counted (and are counted as dropped), so a flood of addresses cannot grow
 * memory without bound.
 */
export const MAX_PENDING_ADDRESSES = 10_000;

/** The verdict of the list in force: none while the account's list is NOT_ENABLED. */
export function ipVerdict(mode: IpEnforcementMode, allowed: boolean): IpVerdict {
  if (mode === "NOT_ENABLED") return null;
  return allowed ? "ALLOWED" : "DENIED";
}

/** Before this instant, addresses no longer seen are pruned. */
export function addressesSeenCutoff(now: Date): Date {
  return new Date(now.getTime() - ADDRESSES_SEEN_RETENTION_MS);
}
