import { describe, expect } from "vitest";
import type { CreatedCredential } from "../src/client/types.ts";
import { KEY_PATTERN } from "../src/domain/key-format.ts";
import { it } from "./fixtures.ts";
import { basic, type Harness, json, type OnboardedPartner } from "./harness.ts";

async function create(
  h: Harness,
  partner: OnboardedPartner,
  payload: Record<string, unknown>,
  apiKey = partner.apiKey,
): Promise<CreatedCredential> {
  const response = await h.app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: basic(apiKey),
    payload,
  });
  expect(response.statusCode, response.body).toBe(200);
  return json<CreatedCredential>(response);
}

async function list(
  h: Harness,
  partner: OnboardedPartner,
  query = "",
  apiKey = partner.apiKey,
): Promise<{ credentials: CreatedCredential[]; next_page_token?: string }> {
  const response = await h.app.inject({
    method: "GET",
    url: `/v1/account/credentials${query}`,
    headers: basic(apiKey),
  });
  expect(response.statusCode, response.body).toBe(200);
  return json(response);
}

describe("Partner Management API: credentials", () => {
  it("creates API keys and Client IDs in LIVE and TEST, and lists them without secrets", async ({
    harness: h,
    partner,
  }) => {
    const made: CreatedCredential[] = [];
    for (const type of ["API", "CLIENT"]) {
      for (const environment of ["LIVE", "TEST"]) {
        made.push(
          await create(h, partner, {
            type,
            environment,
            description: `${type} ${environment} checkout-service`,
          }),
        );
      }
    }
    for (const credential of made) {
      expect(credential).toMatchObject({ status: "ACTIVE", created_by: partner.credentialId });
      const prefix = `klarna_${credential.environment.toLowerCase()}_${credential.type === "API" ? "api" : "client"}_`;
      if (credential.type === "API") {
        expect(credential.api_key).toMatch(KEY_PATTERN);
        expect(credential.api_key?.startsWith(prefix)).toBe(true);
        expect(credential.client_id).toBeUndefined();
      } else {
        expect(credential.client_id?.startsWith(prefix)).toBe(true);
        expect(credential.api_key).toBeUndefined();
      }
    }

    const listed = await list(h, partner);
    expect(listed.credentials).toHaveLength(5);
    expect(listed.credentials.map((c) => c.description)).toContain("API LIVE checkout-service");
    expect(JSON.stringify(listed)).not.toContain("api_key");
    for (const credential of made.filter((c) => c.api_key)) {
      expect(JSON.stringify(listed)).not.toContain(credential.api_key);
    }
    expect((await list(h, partner, "?type=CLIENT")).credentials.map((c) => c.type)).toEqual([
      "CLIENT",
      "CLIENT",
    ]);
    expect((await list(h, partner, "?environment=TEST")).credentials).toHaveLength(2);
    expect((await list(h, partner, "?type=API&environment=LIVE")).credentials).toHaveLength(2);

    const one = await h.app.inject({
      method: "GET",
      url: `/v1/account/credentials/${made[0]?.credential_id}`,
      headers: basic(partner.apiKey),
    });
    expect(json(one)).toMatchObject({ credential_id: made[0]?.credential_id, type: "API" });
    expect(one.body).not.toContain("api_key");
  });

  it("disables a key (then 401), and enables it again (works again)", async ({ harness: h, partner }) => {
    const created = await create(h, partner, { type: "API", environment: "LIVE", description: "payouts" });
    const key = created.api_key ?? "";
    expect((await list(h, partner, "", key)).credentials.length).toBeGreaterThan(0);

    const disabled = await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${created.credential_id}`,
      headers: basic(partner.apiKey),
    });
    expect(disabled.statusCode).toBe(204);
    expect(disabled.body).toBe("");
    const rejected = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: basic(key),
    });
    expect(rejected.statusCode).toBe(401);
    expect(json(rejected)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "UNAUTHORIZED" });

    const shown = (await list(h, partner, "?status=DISABLED")).credentials;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ status: "DISABLED", status_reason: "PARTNER" });
    expect(shown[0]?.disabled_at).toBe(h.clock.now().toISOString());

    const again = await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${created.credential_id}`,
      headers: basic(partner.apiKey),
    });
    expect(again.statusCode).toBe(204);

    const enabled = await h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${created.credential_id}/enable`,
      headers: basic(partner.apiKey),
    });
    expect(enabled.statusCode).toBe(200);
    expect(json(enabled)).toMatchObject({ status: "ACTIVE" });
    expect(json<CreatedCredential>(enabled).status_reason).toBeUndefined();
    const works = await h.app.inject({ method: "GET", url: "/v1/account/credentials", headers: basic(key) });
    expect(works.statusCode).toBe(200);
  });

  it("a key can disable itself and is then refused", async ({ harness: h, partner }) => {
    const own = await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${partner.credentialId}`,
      headers: basic(partner.apiKey),
    });
    expect(own.statusCode).toBe(204);
    const after = await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(partner.apiKey) });
    expect(after.statusCode).toBe(401);
  });

  it("changes a description with PATCH", async ({ harness: h, partner }) => {
    const created = await create(h, partner, { type: "CLIENT", environment: "TEST" });
    expect(created.description).toBe("");
    const patched = await h.app.inject({
      method: "PATCH",
      url: `/v1/account/credentials/${created.credential_id}`,
      headers: basic(partner.apiKey),
      payload: { description: "web-shop EU: checkout, v2" },
    });
    expect(patched.statusCode).toBe(200);
    expect(json(patched)).toMatchObject({ description: "web-shop EU: checkout, v2" });
  });

  it("pages through a long list with next_page_token, newest first", async ({ harness: h, partner }) => {
    for (let i = 0; i < 7; i++) {
      h.clock.advance(1000);
      await create(h, partner, { type: "API", environment: "TEST", description: `key ${i}` });
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await list(h, partner, `?page_size=3${token ? `&page_token=${token}` : ""}`);
      expect(page.credentials.length).toBeLessThanOrEqual(3);
      seen.push(...page.credentials.map((c) => c.description));
      token = page.next_page_token;
    } while (token);
    expect(seen).toEqual([...Array.from({ length: 7 }, (_, i) => `key ${6 - i}`), "Initial API key"]);
  });

  it("records last_used_at on authentication, flushed in batches", async ({ harness: h, partner }) => {
    h.clock.advance(60_000);
    await list(h, partner);
    await list(h, partner);
    const before = (await list(h, partner)).credentials.find((c) => c.credential_id === partner.credentialId);
    expect(before?.last_used_at).toBeUndefined();
    expect(h.usage.pendingCount).toBe(1);
    await h.usage.flush();
    const after = (await list(h, partner)).credentials.find((c) => c.credential_id === partner.credentialId);
    expect(after?.last_used_at).toBe(h.clock.now().toISOString());
  });

  it("refuses a description holding a key, on create and on change", async ({ harness: h, partner }) => {
    const leaked = `copied ${partner.apiKey} here`;
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: basic(partner.apiKey),
      payload: { type: "API", environment: "LIVE", description: leaked.slice(0, 100) },
    });
    expect(created.statusCode).toBe(400);
    expect(json(created)).toMatchObject({ error_code: "VALIDATION_ERROR" });
    expect(created.body).not.toContain(partner.apiKey);
    const changed = await h.app.inject({
      method: "PATCH",
      url: `/v1/account/credentials/${partner.credentialId}`,
      headers: basic(partner.apiKey),
      payload: { description: `klarna_test_client_${"A".repeat(50)}` },
    });
    expect(changed.statusCode).toBe(400);
    const listed = await list(h, partner);
    expect(JSON.stringify(listed)).not.toContain(partner.apiKey);
  });

  it("answers 404 for unknown credentials", async ({ harness: h, partner }) => {
    const unknown = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials/0190f5d2-8c4e-7c7a-9d2f-0123456789ab",
      headers: basic(partner.apiKey),
    });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "NOT_FOUND" });
  });

  it("refuses Client IDs as API keys", async ({ harness: h, partner }) => {
    const client = await create(h, partner, { type: "CLIENT", environment: "LIVE" });
    const response = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: basic(client.client_id ?? ""),
    });
    expect(response.statusCode).toBe(401);
  });

  it("accepts the standard Basic form base64(id:key) as well", async ({ harness: h, partner }) => {
    for (const user of [partner.credentialId, ""]) {
      const encoded = Buffer.from(`${user}:${partner.apiKey}`).toString("base64");
      const response = await h.app.inject({
        method: "GET",
        url: "/v1/account/credentials",
        headers: { authorization: `Basic ${encoded}` },
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it("puts correlation ids on every response", async ({ harness: h, partner }) => {
    const response = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: { ...basic(partner.apiKey), "partner-correlation-id": "order123" },
    });
    expect(response.headers["partner-correlation-id"]).toBe("order123");
    expect(response.headers.warning).toBeUndefined();
    expect(response.headers["klarna-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const failed = await h.app.inject({ method: "GET", url: "/v1/account/credentials" });
    expect(failed.headers["klarna-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
