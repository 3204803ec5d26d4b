import { connect, type Socket } from "node:net";
import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import type { Harness } from "./harness.ts";

it.override({ harnessOptions: { env: { REQUEST_TIMEOUT: "PT1S", KEEP_ALIVE_TIMEOUT: "PT2S" } } });

interface Stalled {
  socket: Socket;
  /** Resolves with everything the server sent and when the connection ended. */
  ended: Promise<{ answer: string; at: number }>;
}

/** A client that sends `bytes` and then nothing more, never closing its side. */
function stall(port: number, bytes: string): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(bytes);
      resolve({ socket, ended });
    });
    let answer = "";
    socket.on("data", (chunk) => {
      answer += String(chunk);
    });
    const ended = new Promise<{ answer: string; at: number }>((done) =>
      socket.on("close", () => done({ answer, at: Date.now() })),
    );
    socket.on("error", () => undefined);
    socket.once("error", reject);
  });
}

// An endpoint that needs no key, so the server waits for the body before it can answer.
const HALF_BODY =
  "POST /v1/client/sessions HTTP/1.1\r\nHost: x\r\nOrigin: https://shop.example\r\n" +
  'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"client_id":';

async function listen(h: Harness): Promise<number> {
  await h.app.listen({ port: 0, host: "127.0.0.1" });
  const address = h.app.server.address();
  if (!address || typeof address !== "object") throw new Error("not listening");
  return address.port;
}

describe("slow clients", () => {
  it("cuts a request whose body stalls, and one whose headers stall, at REQUEST_TIMEOUT with 408", async ({
    harness: h,
  }) => {
    const port = await listen(h);
    const started = Date.now();
    const body = await stall(port, HALF_BODY);
    const headers = await stall(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    for (const client of [body, headers]) {
      const { answer, at } = await client.ended;
      expect(at - started).toBeGreaterThanOrEqual(900);
      expect(at - started).toBeLessThan(3_000);
      expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
      expect(answer).toContain('"error_code":"REQUEST_TIMEOUT"');
    }
  });

  it("keeps serving others while 300 clients stall, then cuts every one of them", async ({ harness: h }) => {
    const port = await listen(h);
    const started = Date.now();
    const stalled = await Promise.all(Array.from({ length: 300 }, () => stall(port, HALF_BODY)));
    const served = performance.now();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(performance.now() - served).toBeLessThan(500);
    const ends = await Promise.all(stalled.map((s) => s.ended));
    const last = Math.max(...ends.map((e) => e.at)) - started;
    process.stdout.write(
      `slow clients: 300 stalled bodies all cut within ${last} ms (REQUEST_TIMEOUT 1 s)\n`,
    );
    expect(last).toBeLessThan(4_000);
    expect(ends.every((e) => e.answer.startsWith("HTTP/1.1 408"))).toBe(true);
  });

  it("answers 408 to a stalled body even when idle connections end sooner than requests", async ({
    startHarness,
  }) => {
    const h = await startHarness({ REQUEST_TIMEOUT: "PT2S", KEEP_ALIVE_TIMEOUT: "PT1S" });
    const port = await listen(h);
    const started = Date.now();
    const { answer, at } = await (await stall(port, HALF_BODY)).ended;
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(at - started).toBeGreaterThanOrEqual(1_900);
  });

  it("ends a connection on which nothing is ever sent", async ({ harness: h }) => {
    const port = await listen(h);
    const started = Date.now();
    const silent = await stall(port, "");
    const { answer, at } = await silent.ended;
    expect(answer === "" || answer.startsWith("HTTP/1.1 408")).toBe(true);
    expect(at - started).toBeLessThan(4_000);
  });
});
