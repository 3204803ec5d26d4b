import { AppError } from "./errors.ts";
import type { Environment } from "./types.ts";

/**
 * LIVE and TEST are kept apart: a TEST key sees and acts on TEST objects only (credentials,
 * Partner Accounts), a LIVE key on both; a TEST account holds nothing LIVE at all.
 */
export function environmentsOfKey(keyEnvironment: Environment): readonly Environment[] {
  return keyEnvironment === "TEST" ? ["TEST"] : ["LIVE", "TEST"];
}

/** Whether an object of `environment` exists for an actor limited to `visible` (all when absent). */
export function isVisible(environment: Environment, visible: readonly Environment[] | undefined): boolean {
  return visible === undefined || visible.includes(environment);
}

/** Refuses to create a `created` object in `account` for an actor limited to `visible`. */
export function assertMayCreateIn(
  account: { environment: Environment },
  created: Environment,
  visible: readonly Environment[] | undefined,
  what: string,
): void {
  if (account.environment === "TEST" && created === "LIVE") {
    throw new AppError("FORBIDDEN", `A TEST account holds no LIVE ${what}`);
  }
  if (!isVisible(created, visible)) {
    throw new AppError("FORBIDDEN", `A TEST key can create TEST ${what} only, not LIVE ones`);
  }
}
