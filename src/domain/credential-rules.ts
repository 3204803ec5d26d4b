import { AppError } from "./errors.ts";
import type { Credential } from "./types.ts";

/** The description rule of the reference API; the HTTP schema uses this same pattern. */
export const DESCRIPTION_PATTERN = /^[a-zA-Z0-9\-:;., _]{0,100}$/;

/** A deleted credential is a tombstone: nothing about it changes any more. */
export function assertChangeable(credential: Pick<Credential, "status">): void {
  if (credential.status === "DELETED") {
    throw new AppError("INVALID_STATE", "The credential is deleted and cannot be changed");
  }
}

export function assertCanEnable(credential: Pick<Credential, "status">): void {
  if (credential.status === "DELETED") {
    throw new AppError("INVALID_STATE", "A deleted credential can never be reactivated; create a new one");
  }
}
