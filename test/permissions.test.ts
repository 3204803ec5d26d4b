import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import { basic, type Harness, json, operator } from "./harness.ts";

it.override({ harnessOptions: { env: { RATE_LIMIT_PAYMENTS: "100/1s" } } });

interface Created {
  credential_id: string;
  api_key: string;
  permissions?: string[];
}

const create = (h: Harness, apiKey: string, body: object) =>
  h.app.inject({ method: "POST", url: "/v1/account/credentials", headers: basic(apiKey), payload: body });

describe("per-key permissions", () => {
  it("a key does what its permissions say, and hands on no more than it holds", async ({
    harness: h,
    partner,
  }) => {
    const reader = json<Created>(
      await create(h, partner.apiKey, {
        type: "API",
        environment: "LIVE",
        permissions: ["credentials:read"],
      }),
    );
    expect(reader.permissions).toEqual(["credentials:read"]);
    const readOnly = reader.api_key;
    expect(
      (await h.app.inject({ method: "GET", url: "/v1/account/credentials", headers: basic(readOnly) }))
        .statusCode,
    ).toBe(200);
    for (const [method, url, payload] of [
      ["POST", "/v1/account/credentials", { type: "API", environment: "LIVE" }],
      ["DELETE", `/v1/account/credentials/${partner.credentialId}`, undefined],
      ["PUT", "/v1/account/ip-restriction", { enforcement_mode: "REPORTING", allowed_ips: ["10.0.0.0/8"] }],
      ["POST", "/v1/account/allowed-origins", { origin: "shop.example" }],
      ["POST", "/v1/accounts", { name: "Sub" }],
    ] as const) {
      const refused = await h.app.inject({
        method,
        url,
        headers: basic(readOnly),
        ...(payload ? { payload } : {}),
      });
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(json(refused)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "FORBIDDEN" });
    }

    const writer = json<Created>(
      await create(h, partner.apiKey, {
        type: "API",
        environment: "LIVE",
        permissions: ["credentials:write", "credentials:read"],
      }),
    ).api_key;
    const everything = await create(h, writer, { type: "API", environment: "LIVE" });
    expect(everything.statusCode).toBe(403);
    expect(json<{ error_message: string }>(everything).error_message).toMatch(/cannot grant/);
    const more = await create(h, writer, {
      type: "API",
      environment: "LIVE",
      permissions: ["security:write"],
    });
    expect(more.statusCode).toBe(403);
    const less = await create(h, writer, {
      type: "API",
      environment: "LIVE",
      permissions: ["credentials:read"],
    });
    expect(less.statusCode).toBe(200);
    // Rotation hands the old key's permissions to the successor: only a key holding them may do it.
    const escalate = await h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${partner.credentialId}/rotate`,
      headers: basic(writer),
      payload: { overlap: "PT1H" },
    });
    expect(escalate.statusCode).toBe(403);

    for (const permissions of [["root"], ["Payments"], ["orders"]]) {
      const bad = await create(h, partner.apiKey, { type: "API", environment: "LIVE", permissions });
      expect(bad.statusCode, String(permissions)).toBe(400);
      expect(json(bad)).toMatchObject({ error_code: "VALIDATION_ERROR" });
    }
  });

  it("limits a key to the provider's APIs it names, and keeps its permissions through rotation", async ({
    harness: h,
    partner,
  }) => {
    const token = json<{ token: string }>(
      await h.internal.inject({
        method: "POST",
        url: "/admin/v1/service-tokens",
        headers: operator,
        payload: { name: "edge" },
      }),
    ).token;
    const payments = json<Created>(
      await create(h, partner.apiKey, { type: "API", environment: "LIVE", permissions: ["payments"] }),
    );
    const ask = (key: string, category: string) =>
      h.internal.inject({
        method: "GET",
        url: `/internal/v1/authorize?category=${category}`,
        headers: { ...basic(key), "x-service-token": token },
      });
    expect((await ask(payments.api_key, "payments")).statusCode).toBe(200);
    const elsewhere = await ask(payments.api_key, "api");
    expect(elsewhere.statusCode).toBe(403);
    expect(json(elsewhere)).toMatchObject({ error_code: "FORBIDDEN" });
    // Nor may it manage credentials.
    expect(
      (await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(payments.api_key) }))
        .statusCode,
    ).toBe(403);
    // A key without permissions may do everything, as in the reference API.
    expect((await ask(partner.apiKey, "api")).statusCode).toBe(200);

    const rotated = await h.app.inject({
      method: "POST",
      url: `/v1/account/credentials/${payments.credential_id}/rotate`,
      headers: basic(partner.apiKey),
      payload: { overlap: "PT1H" },
    });
    expect(json<Created>(rotated).permissions).toEqual(["payments"]);
  });
});
