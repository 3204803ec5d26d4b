import { describe, expect } from "vitest";
import type { CreatedCredential } from "../src/client/types.ts";
import { it } from "./fixtures.ts";
import { basic, type Harness, json, type OnboardedPartner, operator } from "./harness.ts";

const addOrigin = (h: Harness, partner: OnboardedPartner, origin: string, base = "/v1/account") =>
  h.app.inject({
    method: "POST",
    url: `${base}/allowed-origins`,
    headers: basic(partner.apiKey),
    payload: { origin },
  });

async function clientId(
  h: Harness,
  partner: OnboardedPartner,
  environment = "LIVE",
): Promise<CreatedCredential> {
  const response = await h.app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: basic(partner.apiKey),
    payload: { type: "CLIENT", environment, description: "web shop" },
  });
  return json<CreatedCredential>(response);
}

/** What a browser sends: a preflight, then the POST, both with its page's Origin. */
const preflight = (h: Harness, origin?: string) =>
  h.app.inject({
    method: "OPTIONS",
    url: "/v1/client/sessions",
    headers: {
      ...(origin ? { origin } : {}),
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    },
  });
const session = (h: Harness, id: string, origin?: string) =>
  h.app.inject({
    method: "POST",
    url: "/v1/client/sessions",
    headers: { ...(origin ? { origin } : {}), "content-type": "application/json" },
    payload: { client_id: id },
  });

describe("allowed origins", () => {
  it("normalises, lists alphabetically, and answers a duplicate with 409 naming the existing id", async ({
    harness: h,
    partner,
  }) => {
    const first = await addOrigin(h, partner, "Shop.Example:443");
    expect(first.statusCode).toBe(200);
    expect(json(first)).toMatchObject({ origin: "shop.example", scheme: "https" });
    expect(json(await addOrigin(h, partner, "localhost:3000"))).toMatchObject({
      origin: "localhost:3000",
      scheme: "http",
    });
    expect((await addOrigin(h, partner, "*.shop.example")).statusCode).toBe(200);
    expect(json(await addOrigin(h, partner, "bücher.example"))).toMatchObject({
      origin: "xn--bcher-kva.example",
    });
    const duplicate = await addOrigin(h, partner, "SHOP.example");
    expect(duplicate.statusCode).toBe(409);
    const originId = json<{ origin_id: string }>(first).origin_id;
    expect(json(duplicate)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "RESOURCE_CONFLICT" });
    expect(json<{ error_message: string }>(duplicate).error_message).toContain(originId);
    const list = json<{ allowed_origins: { origin: string }[] }>(
      await h.app.inject({
        method: "GET",
        url: "/v1/account/allowed-origins",
        headers: basic(partner.apiKey),
      }),
    );
    expect(list.allowed_origins.map((o) => o.origin)).toEqual([
      "*.shop.example",
      "localhost:3000",
      "shop.example",
      "xn--bcher-kva.example",
    ]);
    const removed = await h.app.inject({
      method: "DELETE",
      url: `/v1/account/allowed-origins/${originId}`,
      headers: basic(partner.apiKey),
    });
    expect(removed.statusCode).toBe(204);
    const again = await h.app.inject({
      method: "DELETE",
      url: `/v1/account/allowed-origins/${originId}`,
      headers: basic(partner.apiKey),
    });
    expect(again.statusCode).toBe(404);
  });

  it("rejects schemes, paths, queries, credentials, spaces, bad ports and labels, inner wildcards; changes nothing", async ({
    harness: h,
    partner,
  }) => {
    for (const bad of [
      "https://shop.example",
      "shop.example/checkout",
      "shop.example?a=1",
      "user:pw@shop.example",
      "shop example",
      "shop.example:99999",
      "shop.example:0",
      "-bad-.example",
      "a.*.example",
      "*",
    ]) {
      const response = await addOrigin(h, partner, bad);
      expect(response.statusCode, bad).toBe(400);
      expect(json(response)).toMatchObject({
        error_code: "VALIDATION_ERROR",
        errors: [{ parameter: "origin" }],
      });
    }
    const list = json<{ allowed_origins: unknown[] }>(
      await h.app.inject({
        method: "GET",
        url: "/v1/account/allowed-origins",
        headers: basic(partner.apiKey),
      }),
    );
    expect(list.allowed_origins).toEqual([]);
  });

  it("accepts a bare * for test accounts only, and at most 100 origins", async ({ harness: h }) => {
    const created = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers: operator,
      payload: { name: "Test Co", environment: "TEST" },
    });
    const claim = await h.app.inject({
      method: "POST",
      url: new URL(json<{ onboarding_url: string }>(created).onboarding_url).pathname,
      headers: { accept: "application/json" },
    });
    const testPartner = { apiKey: json<{ api_key: string }>(claim).api_key } as OnboardedPartner;
    expect((await addOrigin(h, testPartner, "*")).statusCode).toBe(200);
    for (let i = 1; i < 100; i++)
      expect((await addOrigin(h, testPartner, `shop${i}.example`)).statusCode).toBe(200);
    const full = await addOrigin(h, testPartner, "one-too-many.example");
    expect(full.statusCode).toBe(409);
  });
});

describe("browser authentication with a Client ID", () => {
  it("grants CORS and a session only to allowed origins, exactly as a browser sends them", async ({
    harness: h,
    partner,
  }) => {
    await addOrigin(h, partner, "*.shop.example");
    const client = await clientId(h, partner);
    const id = client.client_id ?? "";

    const allowed = await preflight(h, "https://eu.shop.example");
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://eu.shop.example");
    expect(allowed.headers["access-control-allow-methods"]).toBe("POST");
    const created = await session(h, id, "https://eu.shop.example");
    expect(created.statusCode).toBe(200);
    expect(created.headers["access-control-allow-origin"]).toBe("https://eu.shop.example");
    expect(created.headers.vary).toContain("Origin");
    const body = json<{ session_token: string; expires_at: string; origin: string; account_id: string }>(
      created,
    );
    expect(body).toMatchObject({ origin: "https://eu.shop.example", account_id: partner.accountId });
    expect(Date.parse(body.expires_at) - h.clock.now().getTime()).toBe(15 * 60_000);

    for (const origin of ["https://evil.example", "https://shop.example", "http://eu.shop.example"]) {
      const denied = await preflight(h, origin);
      expect(denied.statusCode, origin).toBe(403);
      expect(denied.headers["access-control-allow-origin"]).toBeUndefined();
      const post = await session(h, id, origin);
      expect(post.statusCode, origin).toBe(403);
      expect(post.headers["access-control-allow-origin"]).toBeUndefined();
    }
    const noOrigin = await session(h, id);
    expect(noOrigin.statusCode).toBe(403);
    const badId = await session(h, "klarna_live_client_notvalid", "https://eu.shop.example");
    expect(badId.statusCode).toBe(400);
    expect(badId.headers["access-control-allow-origin"]).toBeUndefined();

    // Verification, for the provider's other services.
    const verify = (payload: object) =>
      h.app.inject({ method: "POST", url: "/v1/client/sessions/verify", payload });
    const ok = await verify({ session_token: body.session_token, origin: "https://eu.shop.example" });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ client_id: id, account_id: partner.accountId, environment: "LIVE" });
    expect(
      (await verify({ session_token: body.session_token, origin: "https://evil.example" })).statusCode,
    ).toBe(401);
    const tampered = `${body.session_token.slice(0, -2)}xx`;
    expect((await verify({ session_token: tampered })).statusCode).toBe(401);
    h.clock.advance(15 * 60_000);
    expect((await verify({ session_token: body.session_token })).statusCode).toBe(401);

    // Client ID use counts as use.
    await h.usage.flush();
    const stored = await h.store.findCredential(partner.accountId, client.credential_id);
    expect(stored?.lastUsedAt).not.toBeNull();

    // A disabled Client ID gets nothing.
    await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${client.credential_id}`,
      headers: basic(partner.apiKey),
    });
    const disabled = await session(h, id, "https://eu.shop.example");
    expect(disabled.statusCode).toBe(401);
    expect(disabled.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("ends a Client ID's sessions when it is disabled, before the tokens expire", async ({
    harness: h,
    partner,
  }) => {
    await addOrigin(h, partner, "shop.example");
    const client = await clientId(h, partner);
    const created = await session(h, client.client_id ?? "", "https://shop.example");
    const token = json<{ session_token: string }>(created).session_token;
    const verify = () =>
      h.app.inject({ method: "POST", url: "/v1/client/sessions/verify", payload: { session_token: token } });
    expect((await verify()).statusCode).toBe(200);
    await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${client.credential_id}`,
      headers: basic(partner.apiKey),
    });
    const ended = await verify();
    expect(ended.statusCode).toBe(401);
    expect(json(ended)).toMatchObject({ error_code: "UNAUTHORIZED" });
    // Reactivated, its unexpired sessions work again: nothing but the Client ID's state decides.
    await h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${client.credential_id}/enable`,
      headers: basic(partner.apiKey),
    });
    expect((await verify()).statusCode).toBe(200);
  });

  it("admits localhost over http for development", async ({ harness: h, partner }) => {
    await addOrigin(h, partner, "localhost:3000");
    const id = (await clientId(h, partner, "TEST")).client_id ?? "";
    expect((await session(h, id, "http://localhost:3000")).statusCode).toBe(200);
    expect((await session(h, id, "https://localhost:3000")).statusCode).toBe(403);
    expect((await session(h, id, "http://localhost:3001")).statusCode).toBe(403);
  });
});
