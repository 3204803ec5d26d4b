/** Who a console user is: three roles within an account, and the provider's support staff. */
export const CONSOLE_ROLES = ["owner", "developer", "viewer", "operator"] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** The roles an account's own users hold (operators belong to no account). */
export const ACCOUNT_ROLES = ["owner", "developer", "viewer"] as const satisfies readonly ConsoleRole[];
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/**
 * What a page or form needs. `credentials`: API keys, Client IDs, allowed origins; `security`:
 * certificates, mTLS enforcement, the IP allow-list; `operate`: the support staff's actions on any
 * account (reactivate credentials, lift mTLS enforcement, reset the IP restriction, suspend/resume).
 */
export const CONSOLE_CAPABILITIES = [
  "read",
  "credentials",
  "security",
  "webhooks",
  "users",
  "operate",
] as const;
export type ConsoleCapability = (typeof CONSOLE_CAPABILITIES)[number];

const GRANTS: Readonly<Record<ConsoleRole, readonly ConsoleCapability[]>> = {
  owner: ["read", "credentials", "security", "webhooks", "users"],
  developer: ["read", "credentials", "security", "webhooks"],
  viewer: ["read"],
  operator: ["read", "operate"],
};

/** Whether a user with `role` may do what `capability` covers. */
export function roleMay(role: ConsoleRole, capability: ConsoleCapability): boolean {
  return GRANTS[role].includes(capability);
}

export function isConsoleRole(value: string): value is ConsoleRole {
  return (CONSOLE_ROLES as readonly string[]).includes(value);
}

export function isAccountRole(value: string): value is AccountRole {
  return (ACCOUNT_ROLES as readonly string[]).includes(value);
}
