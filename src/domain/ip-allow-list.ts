import { BlockList, isIP } from "node:net";
import { AppError, type ValidationIssue } from "./errors.ts";

export const IP_ENFORCEMENT_MODES = ["NOT_ENABLED", "REPORTING", "ENFORCED"] as const;
export type IpEnforcementMode = (typeof IP_ENFORCEMENT_MODES)[number];
export const MAX_ALLOWED_IPS = 100;

export interface IpRestriction {
  mode: IpEnforcementMode;
  /** Normalised entries: an address or `address/prefix`. */
  allowedIps: string[];
}

export const NO_IP_RESTRICTION: IpRestriction = Object.freeze({ mode: "NOT_ENABLED", allowedIps: [] });

interface Entry {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** One allow-list entry, or a reason why it is not one. Zone ids (`fe80::1%eth0`) are refused. */
function parseEntry(text: string): Entry | string {
  if (text.includes("%")) return "must not carry an IPv6 zone id";
  const [address = "", prefixText, extra] = text.split("/");
  if (extra !== undefined) return "is not an address or CIDR range";
  const version = isIP(address);
  if (version === 0) return "is not an IPv4 or IPv6 address";
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family: version === 4 ? "ipv4" : "ipv6" };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max)
    return `has a prefix length outside 0-${max}`;
  return { address, prefix: Number(prefixText), family: version === 4 ? "ipv4" : "ipv6" };
}

/** Validates and normalises a requested allow-list; every bad entry is reported. */
export function parseAllowedIps(entries: string[]): string[] {
  const issues: ValidationIssue[] = [];
  if (entries.length > MAX_ALLOWED_IPS) {
    issues.push({ parameter: "allowed_ips", message: `must hold at most ${MAX_ALLOWED_IPS} entries` });
  }
  const normalised: string[] = [];
  entries.forEach((text, index) => {
    const entry = parseEntry(text.trim());
    if (typeof entry === "string")
      issues.push({ parameter: `allowed_ips[${index}]`, message: `"${text}" ${entry}` });
    else
      normalised.push(
        entry.prefix === (entry.family === "ipv4" ? 32 : 128)
          ? entry.address
          : `${entry.address}/${entry.prefix}`,
      );
  });
  if (issues.length > 0) throw new AppError("VALIDATION_ERROR", "Invalid allowed_ips", issues);
  return [...new Set(normalised)];
}

/** A matcher over normalised entries; IPv4-mapped IPv6 addresses match their IPv4 ranges. */
export function allowListMatcher(allowedIps: readonly string[]): (ip: string) => boolean {
  const list = new BlockList();
  for (const text of allowedIps) {
    const entry = parseEntry(text);
    if (typeof entry === "string") continue;
    list.addSubnet(entry.address, entry.prefix, entry.family);
  }
  return (ip) => {
    const version = isIP(ip);
    return version !== 0 && list.check(ip, version === 4 ? "ipv4" : "ipv6");
  };
}
