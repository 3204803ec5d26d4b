import { describe, expect } from "vitest";
import { AllowedOriginService } from "../src/services/allowed-origins.ts";
import { systemRandom } from "../src/system.ts";
import { it } from "./fixtures.ts";
import { basic, type Harness, json, type OnboardedPartner, operator } from "./harness.ts";

interface Created {
  credential_id: string;
  api_key?: string;
  client_id?: string;
  environment: string;
}

async function createCredential(
  h: Harness,
  apiKey: string,
  body: object,
  headers: Record<string, string> = {},
) {
  return h.app.inject({
    method: "POST",
    url: "/v1/account/credentials",
    headers: { ...basic(apiKey), ...headers },
    payload: body,
  });
}

async function testAccount(h: Harness): Promise<OnboardedPartner> {
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
  const body = json<{ account_id: string; api_key: string; credential_id: string }>(claim);
  return { accountId: body.account_id, apiKey: body.api_key, credentialId: body.credential_id };
}

describe("LIVE and TEST are kept apart", () => {
  it("a TEST key of a LIVE account sees and acts on TEST credentials only", async ({
    harness: h,
    partner,
  }) => {
    const liveKey = json<Created>(
      await createCredential(h, partner.apiKey, { type: "API", environment: "LIVE" }),
    );
    const testKey = json<Created>(
      await createCredential(h, partner.apiKey, { type: "API", environment: "TEST" }),
    );
    const test = testKey.api_key ?? "";

    const live = await createCredential(h, test, {
      type: "API",
      environment: "LIVE",
      description: "escalate",
    });
    expect(live.statusCode).toBe(403);
    expect(json(live)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "FORBIDDEN" });
    expect(json<{ error_message: string }>(live).error_message).toMatch(/TEST.*LIVE/);
    const liveClient = await createCredential(h, test, { type: "CLIENT", environment: "LIVE" });
    expect(liveClient.statusCode).toBe(403);
    const own = json<Created>(await createCredential(h, test, { type: "API", environment: "TEST" }));
    expect(own.environment).toBe("TEST");

    const listed = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: basic(test),
    });
    const environments = json<{ credentials: Created[] }>(listed).credentials.map((c) => c.environment);
    expect(environments.length).toBeGreaterThan(0);
    expect(new Set(environments)).toEqual(new Set(["TEST"]));
    const askedLive = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials?environment=LIVE",
      headers: basic(test),
    });
    expect(json(askedLive)).toEqual({ credentials: [] });

    // The account's LIVE keys do not exist for it: read, change, disable, enable, rotate are 404.
    for (const target of [liveKey.credential_id, partner.credentialId]) {
      for (const [method, suffix, payload] of [
        ["GET", "", undefined],
        ["PATCH", "", { description: "mine now" }],
        ["DELETE", "", undefined],
        ["POST", "/enable", undefined],
        ["POST", "/rotate", {}],
      ] as const) {
        const response = await h.app.inject({
          method,
          url: `/v1/account/credentials/${target}${suffix}`,
          headers: basic(test),
          ...(payload ? { payload } : {}),
        });
        expect(response.statusCode, `${method} ${suffix}`).toBe(404);
      }
    }
    // The LIVE keys still work.
    expect(
      (await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(partner.apiKey) })).statusCode,
    ).toBe(200);
    // And it may change and disable TEST credentials.
    const disabled = await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${own.credential_id}`,
      headers: basic(test),
    });
    expect(disabled.statusCode).toBe(204);
  });

  it("a TEST key reads but never changes a LIVE account's security settings", async ({
    harness: h,
    partner,
  }) => {
    const test =
      json<Created>(await createCredential(h, partner.apiKey, { type: "API", environment: "TEST" }))
        .api_key ?? "";
    for (const [method, url, payload] of [
      [
        "PUT",
        "/v1/account/ip-restriction",
        { enforcement_mode: "ENFORCED", allowed_ips: ["10.0.0.0/8"], force: true },
      ],
      ["PUT", "/v1/account/mtls-enforcement", { enforced_from: "NOW" }],
      ["POST", "/v1/account/allowed-origins", { origin: "evil.example" }],
    ] as const) {
      const refused = await h.app.inject({ method, url, headers: basic(test), payload });
      expect(refused.statusCode, url).toBe(403);
      expect(json<{ error_message: string }>(refused).error_message).toMatch(/TEST key.*LIVE account/);
    }
    const read = await h.app.inject({
      method: "GET",
      url: "/v1/account/ip-restriction",
      headers: basic(test),
    });
    expect(read.statusCode).toBe(200);
    // The LIVE key still can.
    const allowed = await h.app.inject({
      method: "POST",
      url: "/v1/account/allowed-origins",
      headers: basic(partner.apiKey),
      payload: { origin: "shop.example" },
    });
    expect(allowed.statusCode).toBe(200);
  });

  it("a TEST key reads only the TEST part of a LIVE account's audit trail", async ({
    harness: h,
    partner,
  }) => {
    const live = json<Created>(
      await createCredential(h, partner.apiKey, { type: "API", environment: "LIVE" }),
    );
    const test = json<Created>(
      await createCredential(h, partner.apiKey, { type: "API", environment: "TEST" }),
    );
    const trail = json<{ audit_events: { target_id: string }[] }>(
      await h.app.inject({
        method: "GET",
        url: "/v1/account/audit-events",
        headers: basic(test.api_key ?? ""),
      }),
    ).audit_events;
    const targets = new Set(trail.map((e) => e.target_id));
    expect(targets.has(test.credential_id)).toBe(true);
    for (const hidden of [live.credential_id, partner.credentialId, partner.accountId])
      expect(targets.has(hidden)).toBe(false);
  });

  it("a LIVE key manages its account's LIVE and TEST credentials", async ({ harness: h, partner }) => {
    for (const environment of ["LIVE", "TEST"]) {
      expect((await createCredential(h, partner.apiKey, { type: "API", environment })).statusCode).toBe(200);
    }
    const listed = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: basic(partner.apiKey),
    });
    const environments = json<{ credentials: Created[] }>(listed).credentials.map((c) => c.environment);
    expect(new Set(environments)).toEqual(new Set(["LIVE", "TEST"]));
  });

  it("a TEST key creates and reaches TEST Partner Accounts only", async ({ harness: h, partner: parent }) => {
    const liveChild = json<{ account_id: string }>(
      await h.app.inject({
        method: "POST",
        url: "/v1/accounts",
        headers: basic(parent.apiKey),
        payload: { name: "Live" },
      }),
    );
    const test =
      json<Created>(await createCredential(h, parent.apiKey, { type: "API", environment: "TEST" })).api_key ??
      "";
    const refused = await h.app.inject({
      method: "POST",
      url: "/v1/accounts",
      headers: basic(test),
      payload: { name: "Escalate", environment: "LIVE" },
    });
    expect(refused.statusCode).toBe(403);
    expect(json(refused)).toMatchObject({ error_code: "FORBIDDEN" });
    const testChild = await h.app.inject({
      method: "POST",
      url: "/v1/accounts",
      headers: basic(test),
      payload: { name: "Sandbox" },
    });
    expect(testChild.statusCode).toBe(200);
    expect(json(testChild)).toMatchObject({ environment: "TEST" });
    const listed = json<{ accounts: { environment: string }[] }>(
      await h.app.inject({ method: "GET", url: "/v1/accounts", headers: basic(test) }),
    );
    expect(listed.accounts.map((a) => a.environment)).toEqual(["TEST"]);
    for (const request of [
      { url: `/v1/accounts/${liveChild.account_id}/credentials`, headers: basic(test) },
      {
        url: "/v1/account/credentials",
        headers: { ...basic(test), "klarna-partner-account": liveChild.account_id },
      },
    ]) {
      expect((await h.app.inject({ method: "GET", ...request })).statusCode).toBe(404);
    }
    // The LIVE key reaches both.
    const both = json<{ accounts: unknown[] }>(
      await h.app.inject({ method: "GET", url: "/v1/accounts", headers: basic(parent.apiKey) }),
    );
    expect(both.accounts).toHaveLength(2);
  });

  it("a TEST account holds no LIVE credentials and no LIVE Partner Accounts", async ({ harness: h }) => {
    const sandbox = await testAccount(h);
    for (const type of ["API", "CLIENT"]) {
      const refused = await createCredential(h, sandbox.apiKey, { type, environment: "LIVE" });
      expect(refused.statusCode).toBe(403);
      expect(json<{ error_message: string }>(refused).error_message).toMatch(/TEST account/);
    }
    const liveChild = await h.app.inject({
      method: "POST",
      url: "/v1/accounts",
      headers: basic(sandbox.apiKey),
      payload: { name: "Live child", environment: "LIVE" },
    });
    expect(liveChild.statusCode).toBe(403);
  });

  it("the * origin serves TEST Client IDs only", async ({ harness: h }) => {
    const sandbox = await testAccount(h);
    const star = await h.app.inject({
      method: "POST",
      url: "/v1/account/allowed-origins",
      headers: basic(sandbox.apiKey),
      payload: { origin: "*" },
    });
    expect(star.statusCode).toBe(200);
    const client = json<Created>(
      await createCredential(h, sandbox.apiKey, { type: "CLIENT", environment: "TEST" }),
    );
    const session = await h.app.inject({
      method: "POST",
      url: "/v1/client/sessions",
      headers: { origin: "https://anywhere.example" },
      payload: { client_id: client.client_id },
    });
    expect(session.statusCode).toBe(200);
    // Should a LIVE Client ID ever sit on such an account (data from before this rule), * is not its.
    const origins = new AllowedOriginService({ store: h.store, clock: h.clock, random: systemRandom });
    expect(await origins.allows(sandbox.accountId, "https://anywhere.example", "TEST")).toBe(true);
    expect(await origins.allows(sandbox.accountId, "https://anywhere.example", "LIVE")).toBe(false);
  });
});
