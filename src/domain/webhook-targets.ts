import { BlockList, isIP } from "node:net";

/**
 * Where a webhook may not be sent (server-side request forgery): the addresses of this host and
 * its networks, and the cloud metadata services.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, 169.254.169.254 (metadata) among them
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  FORBIDDEN.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local, fd00:ec2::254 (metadata) among them
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
  ["100::", 64], // discard
] as const) {
  FORBIDDEN.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const match = /^(?:::ffff:|64:ff9b::)(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match?.[1]) return match[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex?.[1] || !hex[2]) return null;
  const high = Number.parseInt(hex[1], 16);
  const low = Number.parseInt(hex[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Whether a webhook may be delivered to this IP address. Anything that is not an IP address is refused. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !FORBIDDEN.check(address, "ipv4");
  if (family !== 6) return false;
  const inner = embeddedIpv4(address);
  if (inner !== null) return isPublicAddress(inner);
  return !FORBIDDEN.check(address, "ipv6");
}

export type TargetCheck = { ok: true; url: URL } | { ok: false; problem: string };

/**
 * What a webhook URL must be before anyone resolves it: absolute, `https` (or `http` when insecure
 * targets are allowed), without credentials, and not an IP address that may not be reached.
 */
export function checkWebhookUrl(text: string, options: { allowInsecure: boolean }): TargetCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: "must be an absolute URL" };
  }
  if (url.protocol !== "https:" && !(options.allowInsecure && url.protocol === "http:"))
    return { ok: false, problem: "must be an https URL" };
  if (url.username !== "" || url.password !== "") return { ok: false, problem: "must not hold credentials" };
  if (url.hash !== "") return { ok: false, problem: "must not have a fragment" };
  const host = hostOf(url);
  if (!options.allowInsecure && isIP(host) !== 0 && !isPublicAddress(host))
    return { ok: false, problem: "must not point at a private, loopback, link-local or metadata address" };
  return { ok: true, url };
}

/** The URL's host as a resolver takes it (an IPv6 literal without its brackets). */
export function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}
