import { connect } from "node:net";
import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import type { Harness } from "./harness.ts";

/** One Prometheus series' value, or undefined when the series does not exist. */
async function series(harness: Harness, name: string): Promise<number | undefined> {
  const text = (await harness.internal.inject({ method: "GET", url: "/metrics" })).body;
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

async function listen(h: Harness): Promise<number> {
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  const address = h.app.server.address();
  if (!address || typeof address !== "object") throw new Error("not listening");
  return address.port;
}

/** Sends `head` now and `rest` once `between` has run; resolves with the raw answer when the server closes the connection. */
function exchange(port: number, head: string, between: () => Promise<void>, rest: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(head);
      void between().then(() => socket.write(rest), reject);
    });
    socket.on("data", (chunk) => {
      answer += String(chunk);
    });
    // Nothing here waits long: a connection still open after 5 s ends the exchange with what came.
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

describe("the liveness probe", () => {
  it("over a listener, answers GET and HEAD without the per-request conventions, and routes anything else", async ({
    harness: h,
  }) => {
    const port = await listen(h);
    const routed = await h.app.inject({ method: "GET", url: "/healthz" });
    for (let i = 0; i < 3; i++) {
      const live = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(live.status).toBe(200);
      expect(await live.text()).toBe(routed.body);
      expect(live.headers.get("content-type")).toBe(routed.headers["content-type"]);
      expect(live.headers.get("content-length")).toBe(routed.headers["content-length"]);
      expect(live.headers.get("klarna-correlation-id")).toBeNull();
      expect(live.headers.get("cache-control")).toBeNull();
    }
    const head = await fetch(`http://127.0.0.1:${port}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(head.headers.get("klarna-correlation-id")).toBeNull();
    // Anything but the exact probe is routed, with the conventions; readiness keeps them too.
    const asked = await fetch(`http://127.0.0.1:${port}/healthz?verbose=1`);
    expect(asked.status).toBe(200);
    expect(asked.headers.get("klarna-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("klarna-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(ready.headers.get("cache-control")).toBe("no-store");
    const post = await fetch(`http://127.0.0.1:${port}/healthz`, { method: "POST" });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ error_code: "NOT_FOUND" });

    // Of the probes, only the two that reached the routes are counted (the query string, inject()).
    const counted = (method: string, route: string) =>
      series(
        h,
        `partner_credentials_http_requests_total{listener="public",method="${method}",route="${route}",status="200"}`,
      );
    expect(await counted("GET", "/healthz")).toBe(2);
    expect(await counted("HEAD", "/healthz")).toBeUndefined();
    expect(await counted("GET", "/readyz")).toBe(1);
  });

  it("answers 503 and ends the connection once the listener is closing, so balancers stop sending", async ({
    harness: h,
  }) => {
    const port = await listen(h);
    // A probe whose headers are still arriving when the close begins.
    const answer = await exchange(
      port,
      "GET /healthz HTTP/1.1\r\nHost: x\r\n",
      async () => {
        void h.app.close();
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
      "\r\n",
    );
    expect(answer).toMatch(/^HTTP\/1\.1 503 /);
    expect(answer.toLowerCase()).toContain("connection: close");
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
