import { AppError, invalidParameter } from "./errors.ts";

/**
 * What a key may do. A key created without `permissions` may do everything (the reference API's
 * behaviour). Partner Management API permissions, plus one per rate-limit category of the
 * provider's APIs (lower case, e.g. `payments`), for the gateway, forward-auth and verifier.
 */
export const API_PERMISSIONS = [
  "credentials:read",
  "credentials:write",
  "security:write",
  "accounts:write",
] as const;

export type ApiPermission = (typeof API_PERMISSIONS)[number];

const CATEGORY_PERMISSION = /^[a-z][a-z0-9_]{0,63}$/;

/** Validates requested permissions: known API permissions and categories that exist. */
export function parsePermissions(
  requested: readonly string[],
  categoryExists: (category: string) => boolean,
): string[] {
  const unique = [...new Set(requested)];
  for (const permission of unique) {
    const known =
      (API_PERMISSIONS as readonly string[]).includes(permission) ||
      (CATEGORY_PERMISSION.test(permission) && categoryExists(permission));
    if (!known) {
      throw invalidParameter(
        "permissions",
        `"${permission.slice(0, 64)}" is not one of ${API_PERMISSIONS.join(", ")} or a rate-limit category in lower case`,
      );
    }
  }
  return unique.sort();
}

export function allows(permissions: readonly string[] | null, needed: string): boolean {
  return permissions === null || permissions.includes(needed);
}

/** A key can hand on only what it holds itself. */
export function assertMayGrant(granter: readonly string[] | null, granted: readonly string[] | null): void {
  if (granter === null) return;
  const beyond = (granted ?? ["(all)"]).filter((p) => !granter.includes(p));
  if (beyond.length > 0) {
    throw new AppError(
      "FORBIDDEN",
      `This key cannot grant permissions it does not hold: ${beyond.join(", ")}`,
    );
  }
}

/** The permission a Partner Management API request needs, from its method and route. */
export function neededFor(method: string, route: string): ApiPermission {
  if (method === "GET" || method === "HEAD") return "credentials:read";
  if (/^\/v1\/accounts$/.test(route)) return "accounts:write";
  if (route.includes("/credentials")) return "credentials:write";
  return "security:write";
}
