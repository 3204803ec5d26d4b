import { domainToASCII } from "node:url";
import { invalidParameter } from "./errors.ts";
import type { Environment } from "./types.ts";

export const MAX_ALLOWED_ORIGINS = 100;

/** A registered web origin: `host[:port]` as partners write it, normalised, with its scheme. */
export interface OriginPattern {
  /** Normalised registration: lower case, punycode, default port dropped (`*.shop.example`). */
  origin: string;
  scheme: "http" | "https";
  /** Host without wildcard (`shop.example` for `*.shop.example`); null for a bare `*`. */
  host: string | null;
  wildcard: boolean;
  /** Explicit non-default port, or null. */
  port: number | null;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function reject(reason: string): never {
  throw invalidParameter("origin", reason);
}

/**
 * Parses `host[:port]` without scheme: lower-cased, IDN to punycode, default port dropped,
 * `localhost` is http and everything else https. `*.example.com` covers subdomains only; a bare
 * `*` is for test accounts only.
 */
export function parseOrigin(input: string, environment: Environment): OriginPattern {
  const text = input.trim();
  if (text !== input || /\s/.test(text)) reject("must not contain spaces");
  if (text.includes("://")) reject("must not include a scheme: give host[:port], e.g. shop.example.com");
  if (/[/?#]/.test(text)) reject("must not include a path, query or fragment");
  if (text.includes("@")) reject("must not include credentials");
  if (text === "*") {
    if (environment !== "TEST") reject("a bare * is allowed for test accounts only");
    return { origin: "*", scheme: "https", host: null, wildcard: true, port: null };
  }
  const match = /^(\*\.)?([^:]+)(?::(\d{1,5}))?$/.exec(text);
  if (!match?.[2]) reject("must be host[:port], with a wildcard only as a leading *.");
  const wildcard = match[1] !== undefined;
  if (match[2].includes("*")) reject("a wildcard is allowed only as the leading label (*.example.com)");
  const host = domainToASCII(match[2].toLowerCase());
  if (host === "" || host.length > 253) reject("has an invalid host name");
  const isIpv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
  if (!isIpv4 && !host.split(".").every((label) => LABEL.test(label))) reject("has an invalid host label");
  if (wildcard && (isIpv4 || !host.includes(".")))
    reject("a wildcard needs a domain with at least two labels");
  const scheme = host === "localhost" || host.endsWith(".localhost") ? "http" : "https";
  let port: number | null = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && (port < 1 || port > 65_535)) reject("has a port outside 1-65535");
  if (port === (scheme === "http" ? 80 : 443)) port = null;
  const origin = `${wildcard ? "*." : ""}${host}${port === null ? "" : `:${port}`}`;
  return { origin, scheme, host, wildcard, port };
}

/** A browser's `Origin` header, parsed; null when it is not a plain http(s) origin. */
export function parseRequestOrigin(
  header: string | undefined,
): { scheme: string; host: string; port: number | null } | null {
  if (!header || header === "null" || header.length > 300) return null;
  try {
    const url = new URL(header);
    if ((url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== header.toLowerCase())
      return null;
    return {
      scheme: url.protocol.slice(0, -1),
      host: url.hostname,
      port: url.port === "" ? null : Number(url.port),
    };
  } catch {
    return null;
  }
}

/** Whether a request origin is covered by a registered pattern (scheme and port must match too). */
export function originMatches(
  pattern: OriginPattern,
  origin: { scheme: string; host: string; port: number | null },
): boolean {
  if (pattern.host === null) return true;
  if (pattern.scheme !== origin.scheme || pattern.port !== origin.port) return false;
  return pattern.wildcard ? origin.host.endsWith(`.${pattern.host}`) : origin.host === pattern.host;
}

/** Registrations that could cover a host: itself and every wildcard above it (for lookups by index). */
export function candidateOrigins(origin: { host: string; port: number | null }): string[] {
  const suffix = origin.port === null ? "" : `:${origin.port}`;
  const labels = origin.host.split(".");
  const candidates = [`${origin.host}${suffix}`, "*"];
  for (let i = 1; i < labels.length - 1; i++) candidates.push(`*.${labels.slice(i).join(".")}${suffix}`);
  return candidates;
}
