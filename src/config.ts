/**
 * The service's configuration: declared in config/settings.ts, read and checked in config/load.ts,
 * documented in docs/configuration.md (generated). This is the one reader of `process.env`.
 */
import { configFrom, partnerCliEnvironmentFrom } from "./config/load.ts";
import type { Config, ConfigOverrides, Env, PartnerCliEnvironment } from "./config/types.ts";

export { ConfigError, type ConfigProblem } from "./config/error.ts";
export type { Config, ConfigOverrides, Env, PartnerCliEnvironment } from "./config/types.ts";

/** The process environment, read here and nowhere else; command-line flags override it. */
export function loadConfigFromEnvironment(overrides: ConfigOverrides = {}): Config {
  return loadConfig(process.env, overrides);
}

/**
 * Reads and validates an environment once; command-line flags override it. Every bad setting is
 * reported at once, in one ConfigError.
 */
export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  return configFrom(env, overrides);
}

/** `PARTNER_API_KEY` and `PARTNER_API_URL`, for `partnerctl`'s partner commands (not the server). */
export function partnerCliEnvironment(env: Env = process.env): PartnerCliEnvironment {
  return partnerCliEnvironmentFrom(env);
}
