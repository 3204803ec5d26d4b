import { AppError } from "./errors.ts";

export type UnusableLinkState = "NOT_FOUND" | "ALREADY_USED" | "EXPIRED" | "SUPERSEDED";

/** Why a one-time link cannot be used, in words the person holding it can act on. */
export function unusableLinkError(state: UnusableLinkState): AppError {
  switch (state) {
    case "NOT_FOUND":
      return new AppError("NOT_FOUND", "This link is not valid. Check that you copied the whole link.");
    case "ALREADY_USED":
      return new AppError(
        "LINK_ALREADY_USED",
        "This link has already been used. Ask your contact for a new one.",
      );
    case "EXPIRED":
      return new AppError("LINK_EXPIRED", "This link has expired. Ask your contact for a new one.");
    case "SUPERSEDED":
      return new AppError(
        "LINK_EXPIRED",
        "This link was replaced by a newer one. Use the latest link you received.",
      );
  }
}
