import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import { type Harness, json } from "./harness.ts";

/** One Prometheus series' value, or undefined when the series does not exist. */
async function series(harness: Harness, name: string): Promise<number | undefined> {
  const text = (await harness.internal.inject({ method: "GET", url: "/metrics" })).body;
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe("the liveness probe", () => {
  it("answers from the process alone, skipping the per-request conventions that readiness keeps", async ({
    harness: h,
  }) => {
    for (let i = 0; i < 3; i++) {
      const live = await h.app.inject({ method: "GET", url: "/healthz" });
      expect(live.statusCode).toBe(200);
      expect(json(live)).toEqual({ status: "ok" });
      expect(live.headers["klarna-correlation-id"]).toBeUndefined();
    }
    const ready = await h.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.headers["klarna-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ready.headers["cache-control"]).toBe("no-store");

    const counted = (route: string) =>
      series(
        h,
        `partner_credentials_http_requests_total{listener="public",method="GET",route="${route}",status="200"}`,
      );
    expect(await counted("/healthz")).toBeUndefined();
    expect(await counted("/readyz")).toBe(1);
  });

  it("still gets the conventions when asked with a query string (only the exact probe is lean)", async ({
    harness: h,
  }) => {
    const live = await h.app.inject({ method: "GET", url: "/healthz?verbose=1" });
    expect(live.statusCode).toBe(200);
    expect(live.headers["klarna-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("counts every other answer by route, method and status, and what no route matched as unmatched", async ({
    harness: h,
  }) => {
    const total = (method: string, route: string, status: number) =>
      series(
        h,
        `partner_credentials_http_requests_total{listener="public",method="${method}",route="${route}",status="${status}"}`,
      );
    await h.app.inject({ method: "GET", url: "/healthz?verbose=1" });
    for (let i = 0; i < 2; i++) await h.app.inject({ method: "GET", url: "/v1/account" });
    await h.app.inject({ method: "HEAD", url: "/readyz" });
    for (let i = 0; i < 3; i++) await h.app.inject({ method: "GET", url: "/no/such/route" });
    expect(await total("GET", "/healthz", 200)).toBe(1);
    expect(await total("GET", "/v1/account", 401)).toBe(2);
    expect(await total("HEAD", "/readyz", 200)).toBe(1);
    expect(await total("GET", "unmatched", 404)).toBe(3);
  });
});
