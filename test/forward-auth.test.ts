import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import {
  basic,
  type Harness,
  json,
  onboardAcquiringPartner,
  onboardPartnerAccount,
  operator,
} from "./harness.ts";

async function serviceToken(h: Harness, name = "payments-edge"): Promise<{ id: string; token: string }> {
  const created = await h.internal.inject({
    method: "POST",
    url: "/admin/v1/service-tokens",
    headers: operator,
    payload: { name },
  });
  expect(created.statusCode).toBe(201);
  const body = json<{ service_token_id: string; token: string }>(created);
  return { id: body.service_token_id, token: body.token };
}

function authorize(
  h: Harness,
  token: string,
  headers: Record<string, string> = {},
  query = "",
  remoteAddress = "127.0.0.1",
) {
  return h.internal.inject({
    method: "GET",
    url: `/internal/v1/authorize${query}`,
    headers: { "x-service-token": token, ...headers },
    remoteAddress,
  });
}

/** What nginx's `@partner_denied` location does with a carried refusal. */
function renderDenial(h: Harness, token: string, carried: unknown, method: "GET" | "POST" = "GET") {
  return h.internal.inject({
    method,
    url: "/internal/v1/denial",
    headers: { "x-service-token": token, "x-klarna-auth-denial": String(carried) },
  });
}

async function createKey(h: Harness, apiKey: string, environment: "LIVE" | "TEST") {
  const created = await h.app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: basic(apiKey),
    payload: { type: "API", environment, description: "payments" },
  });
  return json<{ api_key: string; credential_id: string }>(created);
}

describe("service tokens", () => {
  it("guard /internal/*: missing, unknown and revoked tokens get SERVICE_UNAUTHORIZED", async ({
    harness: h,
    partner,
  }) => {
    const { id, token } = await serviceToken(h);
    expect(token).toMatch(/^pcst_[A-Za-z0-9_-]{43}$/);
    expect((await authorize(h, token, basic(partner.apiKey))).statusCode).toBe(200);
    const altered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const presented of ["", "pcst_nope", altered, "Basic x"]) {
      const refused = await authorize(h, presented, basic(partner.apiKey));
      expect(refused.statusCode).toBe(401);
      expect(json(refused)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "SERVICE_UNAUTHORIZED" });
    }
    // The partner's key in Authorization is never a service token.
    const keyOnly = await h.internal.inject({
      method: "GET",
      url: "/internal/v1/authorize",
      headers: basic(partner.apiKey),
    });
    expect(json(keyOnly)).toMatchObject({ error_code: "SERVICE_UNAUTHORIZED" });

    const listed = await h.internal.inject({
      method: "GET",
      url: "/admin/v1/service-tokens",
      headers: operator,
    });
    expect(json(listed)).toEqual({
      service_tokens: [
        expect.objectContaining({ service_token_id: id, name: "payments-edge", status: "ACTIVE" }),
      ],
    });
    expect(listed.body).not.toContain(token);
    const revoked = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/service-tokens/${id}/revoke`,
      headers: operator,
    });
    expect(json(revoked)).toMatchObject({ status: "REVOKED", revoked_at: expect.any(String) });
    expect(json(await authorize(h, token, basic(partner.apiKey)))).toMatchObject({
      error_code: "SERVICE_UNAUTHORIZED",
    });
    // Only a hash is stored.
    expect((await h.storedBytes()).includes(Buffer.from(token))).toBe(false);
  });

  it("refuse bad names, and admin needs the operator token", async ({ harness: h }) => {
    for (const name of ["", "Upper", "a b", "x".repeat(65)]) {
      const bad = await h.internal.inject({
        method: "POST",
        url: "/admin/v1/service-tokens",
        headers: operator,
        payload: { name },
      });
      expect(bad.statusCode).toBe(400);
    }
    const noOperator = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/service-tokens",
      payload: { name: "x" },
    });
    expect(noOperator.statusCode).toBe(401);
    const unknown = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/service-tokens/0190a1b2-c3d4-7000-8000-000000000000/revoke",
      headers: operator,
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe("the internal listener", () => {
  it("is the only place for /admin, /internal and /metrics", async ({ harness: h }) => {
    for (const url of [
      "/admin/v1/accounts",
      "/internal/v1/authorize",
      "/metrics",
      "/internal/v1/identity-keys",
    ]) {
      const onPublic = await h.app.inject({ method: "GET", url, headers: operator });
      expect(onPublic.statusCode).toBe(404);
      expect(json(onPublic)).toMatchObject({ error_code: "NOT_FOUND" });
    }
    expect((await h.internal.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(200);
    expect((await h.internal.inject({ method: "GET", url: "/v1/account" })).statusCode).toBe(404);
  });
});

describe("forward-auth", () => {
  it("allows a valid key with identity headers and a signed identity the published key verifies", async ({
    harness: h,
    partner,
  }) => {
    const { token } = await serviceToken(h);
    const allowed = await authorize(h, token, {
      ...basic(partner.apiKey),
      "x-original-uri": "/payments/v1/sessions",
      "x-original-method": "POST",
    });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toBe("");
    expect(allowed.headers).toMatchObject({
      "x-klarna-account-id": partner.accountId,
      "x-klarna-credential-id": partner.credentialId,
      "x-klarna-environment": "LIVE",
      "x-ratelimit-limit": "100, 100;w=1",
    });
    expect(allowed.headers["x-klarna-acting-account-id"]).toBeUndefined();
    const jwks = json<{ keys: object[] }>(
      await h.internal.inject({ method: "GET", url: "/internal/v1/identity-keys" }),
    );
    const { payload, protectedHeader } = await jwtVerify(
      String(allowed.headers["x-klarna-identity"]),
      createLocalJWKSet(jwks as never),
      { issuer: "partner-credentials", currentDate: h.clock.now() },
    );
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(payload).toMatchObject({
      account_id: partner.accountId,
      credential_id: partner.credentialId,
      environment: "LIVE",
    });
    // Any method and Envoy's path-prefix form reach the same decision.
    const envoy = await h.internal.inject({
      method: "POST",
      url: "/internal/v1/authorize/payments/v1/sessions?x=1",
      headers: { "x-service-token": token, ...basic(partner.apiKey), "content-type": "application/json" },
      payload: '{"ignored":true}',
    });
    expect(envoy.statusCode).toBe(200);
  });

  it("refuses with the API's own status and body, and carries the refusal for nginx", async ({
    harness: h,
    partner,
  }) => {
    const { token } = await serviceToken(h);
    const key = await createKey(h, partner.apiKey, "LIVE");
    await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${key.credential_id}`,
      headers: basic(partner.apiKey),
    });
    for (const headers of [{}, basic("klarna_live_api_nope"), basic(key.api_key)]) {
      const refused = await authorize(h, token, headers);
      expect(refused.statusCode).toBe(401);
      expect(json(refused)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "UNAUTHORIZED" });
      expect(refused.headers["x-klarna-account-id"]).toBeUndefined();
      const rendered = await renderDenial(h, token, refused.headers["x-klarna-auth-denial"], "POST");
      expect(rendered.statusCode).toBe(401);
      expect(json(rendered)).toEqual(json(refused));
    }
    // No carried refusal: the auth request itself failed, so the partner is asked to retry.
    const none = await renderDenial(h, token, "");
    expect(none.statusCode).toBe(503);
    expect(json(none)).toMatchObject({ error_type: "TECHNICAL_ERROR" });
    // One this service did not write (or a "refusal" with a 2xx status) is never rendered.
    for (const carried of ["bm9wZQ", Buffer.from('{"status":200,"body":{}}').toString("base64url")]) {
      const rendered = await renderDenial(h, token, carried);
      expect(rendered.statusCode).toBe(400);
      expect(json(rendered)).toMatchObject({ error_type: "INPUT_ERROR", error_code: "VALIDATION_ERROR" });
    }
  });

  it("refuses a key of the other environment with 401, counted apart", async ({ harness: h, partner }) => {
    const { token } = await serviceToken(h);
    const testKey = await createKey(h, partner.apiKey, "TEST");
    const onLive = await authorize(h, token, basic(testKey.api_key), "?environment=LIVE");
    expect(onLive.statusCode).toBe(401);
    expect(json(onLive)).toMatchObject({
      error_code: "UNAUTHORIZED",
      error_message: expect.stringMatching(/TEST key/),
    });
    const liveOnTest = await authorize(h, token, {
      ...basic(partner.apiKey),
      "x-klarna-environment": "TEST",
    });
    expect(liveOnTest.statusCode).toBe(401);
    const onTest = await authorize(h, token, basic(testKey.api_key), "?environment=test");
    expect(onTest.headers["x-klarna-environment"]).toBe("TEST");
    const bad = await authorize(h, token, basic(testKey.api_key), "?environment=PROD");
    expect(bad.statusCode).toBe(400);
    const metrics = (await h.internal.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toMatch(
      /partner_credentials_authorizations_total\{entry="forward_auth",outcome="WRONG_ENVIRONMENT"\} 2$/m,
    );
    expect(metrics).toMatch(
      /partner_credentials_authorizations_total\{entry="forward_auth",outcome="ALLOWED"\} 1$/m,
    );
  });

  it("takes environment and category from the proxy, never from the partner's own query", async ({
    harness: h,
    partner,
  }) => {
    const { token } = await serviceToken(h);
    const testKey = await createKey(h, partner.apiKey, "TEST");
    // Envoy's path-prefix form appends the partner's path and query: only the proxy's headers count.
    const envoy = await h.internal.inject({
      method: "GET",
      url: "/internal/v1/authorize/payments/v1?environment=TEST&category=CLIENT_SESSIONS",
      headers: { "x-service-token": token, ...basic(testKey.api_key), "x-klarna-environment": "LIVE" },
    });
    expect(envoy.statusCode).toBe(401);
    for (const query of ["?environment=LIVE&environment=TEST", "?category=API&category=PAYMENTS"]) {
      const twice = await authorize(h, token, basic(partner.apiKey), query);
      expect(twice.statusCode).toBe(400);
      expect(json(twice)).toMatchObject({ error_code: "VALIDATION_ERROR" });
    }
  });

  it("targets a Partner Account through Klarna-Partner-Account, never a foreign one", async ({
    harness: h,
    partner: parent,
  }) => {
    const child = await onboardPartnerAccount(h, parent, "Child Shop");
    const stranger = await onboardAcquiringPartner(h, "Stranger");
    const { token } = await serviceToken(h);
    const acting = await authorize(h, token, {
      ...basic(parent.apiKey),
      "klarna-partner-account": child.accountId,
    });
    expect(acting.statusCode).toBe(200);
    expect(acting.headers["x-klarna-account-id"]).toBe(child.accountId);
    expect(acting.headers["x-klarna-acting-account-id"]).toBe(parent.accountId);
    const foreign = await authorize(h, token, {
      ...basic(stranger.apiKey),
      "klarna-partner-account": child.accountId,
    });
    expect(foreign.statusCode).toBe(404);
    const upward = await authorize(h, token, {
      ...basic(child.apiKey),
      "klarna-partner-account": parent.accountId,
    });
    expect(upward.statusCode).toBe(404);
    const malformed = await authorize(h, token, {
      ...basic(parent.apiKey),
      "klarna-partner-account": "acme",
    });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed)).toMatchObject({ error_code: "VALIDATION_ERROR" });
  });

  it("counts the account's budget in the route's category and answers 429 with Retry-After", async ({
    startHarness,
  }) => {
    const h = await startHarness({ RATE_LIMIT_PAYMENTS: "3/60s" });
    const partner = await onboardAcquiringPartner(h);
    const { token } = await serviceToken(h);
    const statuses: number[] = [];
    let last = await authorize(h, token, basic(partner.apiKey), "?category=payments");
    statuses.push(last.statusCode);
    for (let i = 0; i < 3; i++) {
      last = await authorize(h, token, basic(partner.apiKey), "?category=payments");
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(json(last)).toMatchObject({ error_code: "RATE_LIMITED" });
    expect(Number(last.headers["retry-after"])).toBeGreaterThan(0);
    const rendered = await renderDenial(h, token, last.headers["x-klarna-auth-denial"]);
    expect(rendered.statusCode).toBe(429);
    expect(rendered.headers["retry-after"]).toBe(last.headers["retry-after"]);
    // Another category has its own budget.
    expect((await authorize(h, token, basic(partner.apiKey))).statusCode).toBe(200);
    const unknown = await authorize(h, token, basic(partner.apiKey), "?category=nope");
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown)).toMatchObject({
      error_code: "VALIDATION_ERROR",
      error_message: expect.stringMatching(/RATE_LIMIT_NOPE/),
    });
  });

  it("applies the IP allow-list to the forwarded address, believed only from a trusted proxy", async ({
    startHarness,
  }) => {
    const h = await startHarness({ TRUSTED_PROXIES: "10.0.0.1" });
    const partner = await onboardAcquiringPartner(h);
    const { token } = await serviceToken(h);
    const put = await h.app.inject({
      method: "PUT",
      url: "/v1/account/ip-restriction",
      headers: basic(partner.apiKey),
      payload: { enforcement_mode: "ENFORCED", allowed_ips: ["203.0.113.0/24"], force: true },
    });
    expect(put.statusCode).toBe(200);
    const fromPartner = { ...basic(partner.apiKey), "x-forwarded-for": "203.0.113.7" };
    expect((await authorize(h, token, fromPartner, "", "10.0.0.1")).statusCode).toBe(200);
    const realIp = { ...basic(partner.apiKey), "x-real-ip": "203.0.113.8" };
    expect((await authorize(h, token, realIp, "", "10.0.0.1")).statusCode).toBe(200);
    const elsewhere = await authorize(
      h,
      token,
      { ...basic(partner.apiKey), "x-forwarded-for": "198.51.100.1" },
      "",
      "10.0.0.1",
    );
    expect(elsewhere.statusCode).toBe(403);
    expect(json(elsewhere)).toMatchObject({ error_code: "IP_NOT_ALLOWED" });
    // The same headers from an untrusted caller are ignored.
    expect((await authorize(h, token, fromPartner, "", "10.0.0.2")).statusCode).toBe(403);
    expect((await authorize(h, token, realIp, "", "10.0.0.2")).statusCode).toBe(403);
  });
});

describe("Klarna-Partner-Account on the Partner Management API", () => {
  it("acts for a managed Partner Account on /v1/account/…, and refuses anything else", async ({
    harness: h,
    partner: parent,
  }) => {
    const child = await onboardPartnerAccount(h, parent, "Child Shop");
    const stranger = await onboardAcquiringPartner(h, "Stranger");
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: { ...basic(parent.apiKey), "klarna-partner-account": child.accountId },
      payload: { type: "API", environment: "LIVE", description: "for the child" },
    });
    expect(created.statusCode).toBe(200);
    const childKeys = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: basic(child.apiKey),
    });
    expect(
      json<{ credentials: { description: string }[] }>(childKeys).credentials.map((c) => c.description),
    ).toContain("for the child");
    const own = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: basic(parent.apiKey),
    });
    expect(own.body).not.toContain("for the child");
    const foreign = await h.app.inject({
      method: "GET",
      url: "/v1/account",
      headers: { ...basic(stranger.apiKey), "klarna-partner-account": child.accountId },
    });
    expect(foreign.statusCode).toBe(404);
    const mismatch = await h.app.inject({
      method: "GET",
      url: `/v1/accounts/${child.accountId}`,
      headers: { ...basic(parent.apiKey), "klarna-partner-account": stranger.accountId },
    });
    expect(mismatch.statusCode).toBe(400);
    // The same idempotency key and body for another target is another request, never a replay.
    const idempotent = (target: string) =>
      h.app.inject({
        method: "POST",
        url: "/v1/account/credentials",
        headers: {
          ...basic(parent.apiKey),
          "klarna-partner-account": target,
          "klarna-idempotency-key": "k-1",
        },
        payload: { type: "API", environment: "LIVE", description: "same body" },
      });
    const second = await onboardPartnerAccount(h, parent, "Second Shop");
    const forChild = await idempotent(child.accountId);
    const forSecond = await idempotent(second.accountId);
    expect(forSecond.statusCode).toBe(200);
    expect(forSecond.headers["klarna-idempotent-replayed"]).toBeUndefined();
    expect(json(forSecond).credential_id).not.toBe(json(forChild).credential_id);
    expect((await idempotent(child.accountId)).headers["klarna-idempotent-replayed"]).toBe("true");
    const subAccount = await h.app.inject({
      method: "POST",
      url: "/v1/accounts",
      headers: { ...basic(parent.apiKey), "klarna-partner-account": child.accountId },
      payload: { name: "Grandchild" },
    });
    expect(subAccount.statusCode).toBe(403);
  });
});
