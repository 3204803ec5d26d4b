import { describe, expect, it } from "vitest";
import {
  GatewayRoutesError,
  matchRoute,
  parseGatewayRoutes,
  unroutablePath,
  upstreamPath,
} from "./gateway-routes.ts";

const known = (category: string): boolean => ["API", "PAYMENTS", "ORDERS"].includes(category);

describe("gateway routes", () => {
  const routes = parseGatewayRoutes(
    {
      routes: [
        { prefix: "/payments", upstream: "http://127.0.0.1:9000", category: "payments", environment: "LIVE" },
        { prefix: "/payments/refunds", upstream: "http://127.0.0.1:9001/v2/", strip_prefix: true },
        { prefix: "/", upstream: "https://orders.internal", category: "ORDERS", timeout_ms: 500 },
      ],
    },
    known,
  );

  it("matches the longest prefix on segment boundaries", () => {
    expect(matchRoute(routes, "/payments/refunds/1")?.upstream).toBe("http://127.0.0.1:9001/v2");
    expect(matchRoute(routes, "/payments/1")?.category).toBe("PAYMENTS");
    expect(matchRoute(routes, "/payments")?.environment).toBe("LIVE");
    expect(matchRoute(routes, "/paymentsX")?.category).toBe("ORDERS");
    expect(
      matchRoute(
        routes.filter((r) => r.prefix !== "/"),
        "/orders",
      ),
    ).toBeNull();
  });

  it("strips the prefix only when asked", () => {
    const refunds = matchRoute(routes, "/payments/refunds/1");
    expect(refunds && upstreamPath(refunds, "/payments/refunds/1")).toBe("/1");
    expect(refunds && upstreamPath(refunds, "/payments/refunds")).toBe("/");
    const payments = matchRoute(routes, "/payments/1");
    expect(payments && upstreamPath(payments, "/payments/1")).toBe("/payments/1");
  });

  it("defaults: category API, the key's environment, 30 s", () => {
    const [only] = parseGatewayRoutes({ routes: [{ prefix: "/x", upstream: "http://a" }] }, known);
    expect(only).toMatchObject({ category: "API", environment: null, stripPrefix: false, timeoutMs: 30_000 });
  });

  it("refuses what it cannot serve, naming the field", () => {
    const bad: [unknown, RegExp][] = [
      [{}, /routes/],
      [{ routes: [{ prefix: "payments", upstream: "http://a" }] }, /routes\[0\]\.prefix/],
      [{ routes: [{ prefix: "/a/../b", upstream: "http://a" }] }, /prefix/],
      [{ routes: [{ prefix: "/a", upstream: "ftp://a" }] }, /upstream/],
      [{ routes: [{ prefix: "/a", upstream: "http://u:p@a" }] }, /upstream/],
      [{ routes: [{ prefix: "/a", upstream: "http://a", category: "nope" }] }, /RATE_LIMIT_NOPE/],
      [{ routes: [{ prefix: "/a", upstream: "http://a", environment: "PROD" }] }, /environment/],
      [{ routes: [{ prefix: "/a", upstream: "http://a", timeout_ms: 0 }] }, /timeout_ms/],
      [{ routes: [{ prefix: "/a", upstream: "http://a", extra: 1 }] }, /extra/],
      [
        {
          routes: [
            { prefix: "/a", upstream: "http://a" },
            { prefix: "/a/", upstream: "http://b" },
          ],
        },
        /twice/,
      ],
    ];
    for (const [document, message] of bad) {
      expect(() => parseGatewayRoutes(document, known)).toThrow(GatewayRoutesError);
      expect(() => parseGatewayRoutes(document, known)).toThrow(message);
    }
  });

  it("routes only plain paths: no dot segments, backslashes, needless or malformed escapes", () => {
    for (const path of [
      "/payments/../admin",
      "/payments/%2e%2e/admin",
      "/a/./b",
      "/a%2Fb",
      "/..",
      "/payments\\..\\..\\secret",
      "/payments\\%2e%2e\\x",
      "/pay%6Dents/x",
      "/a%5cb",
      "/a%zz",
      "/a%",
      "*",
      "http://host/payments/a",
    ]) {
      expect(unroutablePath(path), path).not.toBeNull();
    }
    for (const path of ["/payments/1", "/a.b/c..d", "/", "/caf%C3%A9", "/a%20b", "/a%3Fb"]) {
      expect(unroutablePath(path), path).toBeNull();
    }
  });
});
