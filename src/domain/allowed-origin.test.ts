import { describe, expect, it } from "vitest";
import { candidateOrigins, originMatches, parseOrigin, parseRequestOrigin } from "./allowed-origin.ts";
import type { AppError } from "./errors.ts";

const reason = (input: string, environment: "LIVE" | "TEST" = "LIVE"): string => {
  try {
    parseOrigin(input, environment);
    return "accepted";
  } catch (error) {
    return (error as AppError).validationErrors?.[0]?.message ?? "";
  }
};

describe("allowed origins", () => {
  it("normalises case, IDN and default ports, and picks the scheme", () => {
    expect(parseOrigin("Shop.Example.COM", "LIVE")).toMatchObject({
      origin: "shop.example.com",
      scheme: "https",
    });
    expect(parseOrigin("bücher.example:443", "LIVE")).toMatchObject({
      origin: "xn--bcher-kva.example",
      port: null,
    });
    expect(parseOrigin("localhost:3000", "LIVE")).toMatchObject({
      origin: "localhost:3000",
      scheme: "http",
      port: 3000,
    });
    expect(parseOrigin("localhost:80", "LIVE").origin).toBe("localhost");
    expect(parseOrigin("*.shop.example", "LIVE")).toMatchObject({ wildcard: true, host: "shop.example" });
    expect(parseOrigin("*", "TEST").origin).toBe("*");
  });

  it("rejects schemes, paths, queries, credentials, spaces, bad ports and labels, inner wildcards", () => {
    for (const bad of [
      "https://shop.example",
      "shop.example/path",
      "shop.example?x=1",
      "user@shop.example",
      "shop .example",
      " shop.example",
      "shop.example:0",
      "shop.example:70000",
      "shop.example:abc",
      "-shop.example",
      "shop_.example",
      "a.*.example",
      "shop*.example",
      "*.com",
      "",
    ]) {
      expect(reason(bad), bad).not.toBe("accepted");
    }
    expect(reason("*")).toContain("test accounts only");
  });

  it("matches subdomains for wildcards but not the apex, with scheme and port", () => {
    const wildcard = parseOrigin("*.shop.example", "LIVE");
    const at = (header: string) => parseRequestOrigin(header) ?? { scheme: "", host: "", port: null };
    expect(originMatches(wildcard, at("https://eu.shop.example"))).toBe(true);
    expect(originMatches(wildcard, at("https://a.b.shop.example"))).toBe(true);
    expect(originMatches(wildcard, at("https://shop.example"))).toBe(false);
    expect(originMatches(wildcard, at("http://eu.shop.example"))).toBe(false);
    expect(originMatches(wildcard, at("https://eu.shop.example:8443"))).toBe(false);
    expect(originMatches(parseOrigin("localhost:3000", "LIVE"), at("http://localhost:3000"))).toBe(true);
    expect(parseRequestOrigin("https://evil.example/path")).toBeNull();
    expect(parseRequestOrigin("null")).toBeNull();
    expect(candidateOrigins({ host: "a.eu.shop.example", port: null })).toEqual([
      "a.eu.shop.example",
      "*",
      "*.eu.shop.example",
      "*.shop.example",
    ]);
  });
});
