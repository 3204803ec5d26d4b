import { ENVIRONMENTS, type Environment } from "./types.ts";

/** One upstream API behind the gateway. */
export interface GatewayRoute {
  /** Path prefix, matched on segment boundaries: `/payments` matches `/payments` and `/payments/…`. */
  prefix: string;
  /** Origin of the upstream service, e.g. `http://127.0.0.1:9000`. */
  upstream: string;
  /** Rate-limit category (`RATE_LIMIT_<CATEGORY>`), upper case. */
  category: string;
  /** The environment the upstream serves; null: whatever the key's own is. */
  environment: Environment | null;
  /** Forward `/payments/x` as `/x`. */
  stripPrefix: boolean;
  /** How long the upstream may take to answer (headers, and between body chunks). */
  timeoutMs: number;
}

export class GatewayRoutesError extends Error {
  constructor(problem: string) {
    super(`Invalid gateway routes: ${problem}`);
    this.name = "GatewayRoutesError";
  }
}

const PREFIX = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
const DEFAULT_TIMEOUT_MS = 30_000;

function route(raw: unknown, index: number, knowsCategory: (category: string) => boolean): GatewayRoute {
  const at = `routes[${index}]`;
  if (!raw || typeof raw !== "object") throw new GatewayRoutesError(`${at} must be an object`);
  const r = raw as Record<string, unknown>;
  const known = new Set(["prefix", "upstream", "category", "environment", "strip_prefix", "timeout_ms"]);
  for (const key of Object.keys(r)) {
    if (!known.has(key)) throw new GatewayRoutesError(`${at}.${key} is not a known field`);
  }
  if (typeof r.prefix !== "string" || !PREFIX.test(r.prefix) || /(^|\/)\.\.?(\/|$)/.test(r.prefix)) {
    throw new GatewayRoutesError(`${at}.prefix must be a path starting with "/"`);
  }
  let upstream: URL;
  try {
    upstream = new URL(String(r.upstream));
  } catch {
    throw new GatewayRoutesError(`${at}.upstream must be an http(s) URL`);
  }
  if (!/^https?:$/.test(upstream.protocol) || upstream.search || upstream.hash || upstream.username) {
    throw new GatewayRoutesError(`${at}.upstream must be an http(s) URL without query or credentials`);
  }
  const category = typeof r.category === "string" ? r.category.toUpperCase() : "API";
  if (!knowsCategory(category)) {
    throw new GatewayRoutesError(`${at}.category ${category} has no limit: set RATE_LIMIT_${category}`);
  }
  const environment = r.environment === undefined || r.environment === null ? null : String(r.environment);
  if (environment !== null && !ENVIRONMENTS.includes(environment as Environment)) {
    throw new GatewayRoutesError(`${at}.environment must be LIVE or TEST`);
  }
  if (r.strip_prefix !== undefined && typeof r.strip_prefix !== "boolean") {
    throw new GatewayRoutesError(`${at}.strip_prefix must be true or false`);
  }
  const timeoutMs = r.timeout_ms === undefined ? DEFAULT_TIMEOUT_MS : Number(r.timeout_ms);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
    throw new GatewayRoutesError(`${at}.timeout_ms must be an integer from 1 to 600000`);
  }
  return {
    prefix: r.prefix.length > 1 ? r.prefix.replace(/\/+$/, "") : r.prefix,
    upstream: upstream.origin + upstream.pathname.replace(/\/+$/, ""),
    category,
    environment: environment as Environment | null,
    stripPrefix: r.strip_prefix === true,
    timeoutMs,
  };
}

/** Validates a routes document (`{"routes": […]}`); the longest prefix comes first. */
export function parseGatewayRoutes(
  document: unknown,
  knowsCategory: (category: string) => boolean,
): GatewayRoute[] {
  const list = (document as { routes?: unknown } | null)?.routes;
  if (!Array.isArray(list) || list.length === 0) {
    throw new GatewayRoutesError('expected {"routes": [ … ]} with at least one route');
  }
  const routes = list.map((raw, index) => route(raw, index, knowsCategory));
  const prefixes = new Set<string>();
  for (const r of routes) {
    if (prefixes.has(r.prefix)) throw new GatewayRoutesError(`prefix ${r.prefix} appears twice`);
    prefixes.add(r.prefix);
  }
  return routes.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** The route of a request path: the longest matching prefix, on segment boundaries. */
export function matchRoute(routes: readonly GatewayRoute[], path: string): GatewayRoute | null {
  for (const r of routes) {
    if (r.prefix === "/" || path === r.prefix || path.startsWith(`${r.prefix}/`)) return r;
  }
  return null;
}

const UNRESERVED = /^[A-Za-z0-9._~-]$/;

/**
 * Why a request target cannot be routed, or null when it can. Only plain origin-form paths are
 * routed: dot segments, backslashes, encoded slashes, percent-encoded characters that need no
 * encoding (`/pay%6Dents`) and malformed escapes could make the upstream see another path than the
 * one matched, in another route's environment and budget.
 */
export function unroutablePath(path: string): string | null {
  if (!path.startsWith("/")) return "must be a path starting with /";
  if (path.includes("\\")) return "must not contain backslashes";
  for (const match of path.matchAll(/%(..)?/g)) {
    const hex = match[1];
    if (hex === undefined || !/^[0-9A-Fa-f]{2}$/.test(hex)) return "has a malformed percent-escape";
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    if (UNRESERVED.test(char) || char === "/" || char === "\\")
      return "encodes a character that needs no encoding";
  }
  if (/(^|\/)\.\.?(\/|$)/.test(path)) return "has dot segments";
  return null;
}

/** The path the upstream receives. */
export function upstreamPath(r: GatewayRoute, path: string): string {
  if (!r.stripPrefix || r.prefix === "/") return path;
  const rest = path.slice(r.prefix.length);
  return rest.startsWith("/") ? rest : `/${rest}`;
}
