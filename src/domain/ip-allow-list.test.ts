import { describe, expect, it } from "vitest";
import type { AppError } from "./errors.ts";
import { allowListMatcher, parseAllowedIps } from "./ip-allow-list.ts";

function issuesOf(entries: string[]): string[] {
  try {
    parseAllowedIps(entries);
  } catch (error) {
    return (error as AppError).validationErrors?.map((i) => i.parameter) ?? [];
  }
  return [];
}

describe("IP allow-lists", () => {
  it("normalises addresses and ranges, dropping duplicates", () => {
    expect(
      parseAllowedIps(["203.0.113.7", "198.51.100.0/24", "2001:db8::/32", "::1", "203.0.113.7/32"]),
    ).toEqual(["203.0.113.7", "198.51.100.0/24", "2001:db8::/32", "::1"]);
  });

  it("reports every malformed entry by its index", () => {
    expect(
      issuesOf([
        "10.0.0.1",
        "10.0.0.0/33",
        "300.1.1.1",
        "fe80::1%eth0",
        "2001:db8::/129",
        "10.0.0.0/8/1",
        "x",
        "10.0.0.0/-1",
      ]),
    ).toEqual([
      "allowed_ips[1]",
      "allowed_ips[2]",
      "allowed_ips[3]",
      "allowed_ips[4]",
      "allowed_ips[5]",
      "allowed_ips[6]",
      "allowed_ips[7]",
    ]);
    expect(issuesOf(Array.from({ length: 101 }, (_, i) => `10.0.0.${i % 250}`))).toContain("allowed_ips");
  });

  it("matches IPv4, IPv6 and IPv4-mapped IPv6 callers", () => {
    const allowed = allowListMatcher(["198.51.100.0/24", "2001:db8::/32", "127.0.0.1"]);
    expect(allowed("198.51.100.77")).toBe(true);
    expect(allowed("::ffff:198.51.100.77")).toBe(true);
    expect(allowed("198.51.101.1")).toBe(false);
    expect(allowed("2001:db8:1::5")).toBe(true);
    expect(allowed("2001:db9::1")).toBe(false);
    expect(allowed("127.0.0.1")).toBe(true);
    expect(allowed("not an ip")).toBe(false);
  });
});
