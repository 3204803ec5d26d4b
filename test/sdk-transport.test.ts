import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PartnerClient, RateLimitError, TransportError } from "@partner-credentials/client";
import { Agent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { accountShortId } from "../src/domain/identifiers.ts";
import { onboardThroughProcess } from "./edge-fixtures.ts";
import { ADMIN_TOKEN, PEPPER } from "./harness.ts";
import { opensslKeyAndCsr } from "./openssl.ts";
import { freePort, startServerProcess } from "./process.ts";

/** The SDK's transport against scripted servers: retries, idempotency keys, Retry-After, timeouts, mTLS. */
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function scripted(
  answer: (
    request: IncomingMessage,
    index: number,
  ) => { status: number; headers?: Record<string, string>; delayMs?: number },
): Promise<{ url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  server = createServer((request, response) => {
    const { status, headers, delayMs } = answer(request, seen.length);
    seen.push(request);
    request.resume();
    setTimeout(() => {
      response.writeHead(status, {
        "content-type": "application/json",
        "klarna-correlation-id": "c-1",
        ...headers,
      });
      response.end(
        status < 300
          ? JSON.stringify({ credential_id: "x", type: "API" })
          : JSON.stringify({
              error_id: "e-1",
              error_type: "ACCESS_ERROR",
              error_code: status === 429 ? "RATE_LIMITED" : "SERVICE_UNAVAILABLE",
              error_message: "wait",
            }),
      );
    }, delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`, seen };
}

describe("SDK transport", () => {
  it("retries 503 and 429 with one idempotency key, honouring Retry-After", async () => {
    const { url, seen } = await scripted((_request, index) =>
      index === 0
        ? { status: 503 }
        : index === 1
          ? { status: 429, headers: { "retry-after": "1" } }
          : { status: 200 },
    );
    const client = new PartnerClient({ baseUrl: url, apiKey: "k", retries: { baseDelayMs: 10 } });
    const started = Date.now();
    await client.createCredential({ type: "API", environment: "TEST" });
    expect(seen).toHaveLength(3);
    const keys = seen.map((request) => request.headers["klarna-idempotency-key"]);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    // The third attempt waited for the 1 s the service asked for.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("gives up after its attempts with a typed error carrying the service's ids", async () => {
    const { url, seen } = await scripted(() => ({ status: 429, headers: { "retry-after": "0" } }));
    const client = new PartnerClient({ baseUrl: url, apiKey: "k", retries: { attempts: 2, baseDelayMs: 1 } });
    const error = await client.getAccount().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({
      errorCode: "RATE_LIMITED",
      errorId: "e-1",
      correlationId: "c-1",
      retryAfterSeconds: 0,
    });
    expect(seen).toHaveLength(3);
  });

  it("times out, and never resends a change that carries no idempotency key", async () => {
    const { url, seen } = await scripted(() => ({ status: 200, delayMs: 500 }));
    const client = new PartnerClient({
      baseUrl: url,
      apiKey: "k",
      timeoutMs: 100,
      retries: { baseDelayMs: 1 },
    });
    const error = await client
      .createCredential({ type: "API", environment: "TEST" }, { idempotencyKey: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(seen).toHaveLength(1);
    // A read is safe to resend: first try plus three retries.
    await expect(client.getAccount()).rejects.toBeInstanceOf(TransportError);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toHaveLength(5);
  });

  it("presents a client certificate through an undici Agent (mTLS)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdk-mtls-"));
    const live = await startServerProcess({
      port: await freePort(),
      dataDir: join(dir, "data"),
      env: { ADMIN_TOKEN, PEPPER },
    });
    try {
      const partner = await onboardThroughProcess(live, "mTLS Partner");
      const plain = new PartnerClient({ baseUrl: live.url, apiKey: partner.apiKey });
      const ca = await plain.getCaCertificate();
      const { csrPem, keyPem } = opensslKeyAndCsr({ commonName: accountShortId(partner.accountId) });
      const issued = await plain.requestClientCertificate({ certificate_signing_request: csrPem });
      const withCertificate = new PartnerClient({
        baseUrl: live.tlsUrl,
        apiKey: partner.apiKey,
        dispatcher: new Agent({
          connect: { ca, cert: issued.certificate, key: keyPem, servername: "localhost" },
        }),
      });
      expect((await withCertificate.enforceMtls("NOW")).status).toBe("ENFORCED");
      expect((await withCertificate.getAccount()).account_id).toBe(partner.accountId);
      const withoutCertificate = new PartnerClient({
        baseUrl: live.tlsUrl,
        apiKey: partner.apiKey,
        dispatcher: new Agent({ connect: { ca, servername: "localhost" } }),
      });
      await expect(withoutCertificate.listCredentials()).rejects.toMatchObject({
        errorCode: "MTLS_REQUIRED",
      });
      expect(readFileSync(join(dir, "data", "ca-cert.pem"), "utf8")).toBe(ca);
    } finally {
      await live.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
