import { holdsKey } from "./credential-rules.ts";
import { invalidParameter } from "./errors.ts";
import type { Account } from "./types.ts";

/**
 * Whether the account's own callers are refused: while it is suspended, its keys (at every entry
 * point) and its console users act on nothing, not even the Partner Accounts it manages. Each
 * account is suspended on its own: a suspended Partner Account stays in reach of its Acquiring
 * Partner, and an Acquiring Partner's suspension leaves its Partner Accounts' callers alone.
 */
export function callerSuspended(account: Pick<Account, "suspension">): boolean {
  return account.suspension !== null;
}

/**
 * An operator's reason for suspending or resuming an account. It lands in the audit trail, which
 * the partner reads: one that holds a key would publish it.
 */
export function assertSuspensionReason(reason: string | null): void {
  if (reason !== null && holdsKey(reason)) {
    throw invalidParameter("reason", "must not contain an API key or Client ID");
  }
}
