import { holdsKey } from "./credential-rules.ts";
import { invalidParameter } from "./errors.ts";

/**
 * An operator's reason for suspending or resuming an account. It lands in the audit trail, which
 * the partner reads: one that holds a key would publish it.
 */
export function assertSuspensionReason(reason: string | null): void {
  if (reason !== null && holdsKey(reason)) {
    throw invalidParameter("reason", "must not contain an API key or Client ID");
  }
}
