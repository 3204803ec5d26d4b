import type { RouteOptions } from "fastify";

/**
 * Adds a hook to one route as it is declared (from an `onRoute` hook), after the route's own: a
 * hook that needs what only the route knows (its URL, its permission) works it out once there,
 * instead of reading Fastify's `request.routeOptions`, a getter that builds an object on every read.
 */
export function appendRouteHook<Name extends "onRequest" | "onResponse">(
  route: RouteOptions,
  name: Name,
  hook: NonNullable<RouteOptions[Name]> extends readonly (infer H)[] | infer H ? H : never,
): void {
  const own = route[name];
  route[name] = [...(own === undefined ? [] : [own].flat()), hook] as RouteOptions[Name];
}
