import { AppError, invalidParameter } from "./errors.ts";
import type { Actor, Credential } from "./types.ts";

/** The description rule of the reference API; the HTTP schema uses this same pattern. */
export const DESCRIPTION_PATTERN = /^[a-zA-Z0-9\-:;., _]{0,100}$/;

/** Something shaped like a key or Client ID of any brand (`<brand>_<env>_<api|client>_<50>`). */
const KEY_INSIDE = /[a-z][a-z0-9]{0,19}_(live|test)_(api|client)_[0-9A-Za-z]{50}/;

/**
 * Descriptions are listed to everyone who can read the account's credentials and land in logs
 * and audit trails: one that holds a key would publish it.
 */
export function assertDescriptionHoldsNoKey(description: string): void {
  if (holdsKey(description)) {
    throw invalidParameter("description", "must not contain an API key or Client ID");
  }
}

/** Whether free text holds something shaped like a key or Client ID. */
export function holdsKey(text: string): boolean {
  return KEY_INSIDE.test(text);
}

/** A deleted credential is a tombstone: nothing about it changes any more. */
export function assertChangeable(credential: Pick<Credential, "status">): void {
  if (credential.status === "DELETED") {
    throw new AppError("INVALID_STATE", "The credential is deleted and cannot be changed");
  }
}

/**
 * Who may bring a disabled credential back: nobody for a deleted or rotated-out one, only the
 * operator for one the operator disabled or that was reported leaked, the partner otherwise.
 */
export function assertCanEnable(
  credential: Pick<Credential, "status" | "statusReason" | "rotatedTo">,
  actor: Actor,
): void {
  if (credential.status === "DELETED") {
    throw new AppError("INVALID_STATE", "A deleted credential can never be reactivated; create a new one");
  }
  if (credential.status !== "DISABLED") return;
  // Replaced by a successor (also when disabled by hand during the overlap): never back.
  if (credential.statusReason === "ROTATED" || credential.rotatedTo !== null) {
    throw new AppError("INVALID_STATE", "A rotated-out credential cannot be reactivated; use its successor");
  }
  if (credential.statusReason === "LEAKED" && actor.kind !== "operator") {
    throw new AppError(
      "FORBIDDEN",
      "This key was disabled because it was reported leaked; only the operator can reactivate it. Create or rotate to a new key instead",
    );
  }
  if (credential.statusReason === "OPERATOR" && actor.kind !== "operator") {
    throw new AppError(
      "FORBIDDEN",
      "The operator disabled this credential; only the operator can reactivate it",
    );
  }
}
