import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ADMIN_TOKEN } from "./harness.ts";
import { partnerctl } from "./process.ts";

/** What an upstream API saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  bodySha256: string;
}

export interface Upstream {
  url: string;
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A small upstream API: answers every request with what it saw (method, URL, headers, body size
 * and hash), after `?delay_ms=` when asked. It stands for the provider's payments service.
 */
export async function startUpstream(): Promise<Upstream> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const hash = createHash("sha256");
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    req.on("end", () => {
      const record = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        bodyBytes: bytes,
        bodySha256: hash.digest("hex"),
      };
      seen.push(record);
      const delay = Number(new URL(req.url ?? "/", "http://x").searchParams.get("delay_ms") ?? 0);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(record));
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ProcessPartner {
  accountId: string;
  apiKey: string;
  credentialId: string;
}

/** Operator creates an account on the internal listener; the partner claims it on the public one. */
export async function onboardThroughProcess(
  server: { url: string; internalUrl: string },
  name: string,
): Promise<ProcessPartner> {
  const created = await fetch(`${server.internalUrl}/admin/v1/accounts`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  const { onboarding_url } = (await created.json()) as { onboarding_url: string };
  const claim = await fetch(`${server.url}${new URL(onboarding_url).pathname}`, {
    method: "POST",
    headers: { accept: "application/json" },
  });
  const body = (await claim.json()) as { account_id: string; api_key: string; credential_id: string };
  return { accountId: body.account_id, apiKey: body.api_key, credentialId: body.credential_id };
}

/** A partner's request to the Partner Management API of a running server. */
export async function partnerApi(
  server: { url: string },
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Basic ${apiKey}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** `partnerctl admin service-tokens create --json`, as an operator runs it. */
export async function createServiceToken(internalUrl: string, name: string): Promise<string> {
  const created = await partnerctl(
    ["admin", "service-tokens", "create", "--name", name, "--json", "--url", internalUrl],
    { ADMIN_TOKEN },
  );
  if (created.code !== 0) throw new Error(`service-tokens create: ${created.stderr}`);
  return (JSON.parse(created.stdout) as { token: string }).token;
}

/** An operator's per-account rate-limit override. */
export async function setRateLimit(internalUrl: string, accountId: string, limits: Record<string, string>) {
  const response = await fetch(`${internalUrl}/admin/v1/accounts/${accountId}/rate-limits`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ limits }),
  });
  if (!response.ok) throw new Error(`rate limits: ${response.status} ${await response.text()}`);
}

/**
 * Keys a LIVE API must refuse, of one partner: none, a made-up one, a disabled LIVE key and a
 * (valid) TEST key. Also returns the TEST key on its own, for TEST routes.
 */
export async function keysToRefuse(
  server: { url: string },
  apiKey: string,
): Promise<{ keys: (string | undefined)[]; testKey: string }> {
  const create = (environment: "LIVE" | "TEST") =>
    partnerApi(server, apiKey, "POST", "/v1/account/credentials", { type: "API", environment });
  const disabled = await create("LIVE");
  await partnerApi(server, apiKey, "DELETE", `/v1/account/credentials/${disabled.body.credential_id}`);
  const testKey = String((await create("TEST")).body.api_key);
  return { keys: [undefined, "klarna_live_api_wrong", String(disabled.body.api_key), testKey], testKey };
}
