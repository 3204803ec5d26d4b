import { AppError } from "./errors.ts";
import type { Credential, CredentialStatus } from "./types.ts";

export const DESCRIPTION_PATTERN = /^[a-zA-Z0-9\-:;., _]{0,100}$/;

/** Which status a credential may move to from where it is; DELETED is final. */
export function assertCanDisable(credential: Pick<Credential, "status">): void {
  if (credential.status === "DELETED") {
    throw new AppError("INVALID_STATE", "The credential is deleted and cannot be changed");
  }
}

export function assertCanEnable(credential: Pick<Credential, "status">): void {
  if (credential.status === "DELETED") {
    throw new AppError("INVALID_STATE", "A deleted credential can never be reactivated; create a new one");
  }
}

export function assertCanEditDescription(credential: Pick<Credential, "status">): void {
  if (credential.status === "DELETED") {
    throw new AppError("INVALID_STATE", "The credential is deleted and cannot be changed");
  }
}

export function isUsable(status: CredentialStatus): boolean {
  return status === "ACTIVE";
}
