import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import {
  basic,
  type Harness,
  json,
  type OnboardedPartner,
  onboardAcquiringPartner,
  onboardPartnerAccount,
} from "./harness.ts";

/**
 * The reference API's documented wire format, driven through `inject()`: error bodies, the
 * Authorization header's forms, status codes, v2 paths, rate-limit policies, correlation ids and
 * idempotency keys. (`wire-contract-socket.test.ts` repeats the essentials over real sockets.)
 */

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

const call = (
  h: Harness,
  partner: OnboardedPartner,
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE",
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) =>
  h.app.inject({
    method,
    url,
    headers: { ...basic(partner.apiKey), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

describe("errors", () => {
  it("lists each invalid parameter as errors: [{parameter, error_message}] with a doc_url", async ({
    harness: h,
    partner,
  }) => {
    const response = await call(h, partner, "POST", "/v1/account/credentials", {
      type: "KEY",
      environment: "LIVE",
      colour: "blue",
    });
    expect(response.statusCode).toBe(400);
    const body = json<Record<string, unknown>>(response);
    expect(Object.keys(body).sort()).toEqual([
      "doc_url",
      "error_code",
      "error_id",
      "error_message",
      "error_type",
      "errors",
    ]);
    expect(body).toMatchObject({
      error_type: "INPUT_ERROR",
      error_code: "VALIDATION_ERROR",
      doc_url: "https://partners.example/guide#key-format-http-conventions-audit",
    });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { parameter: "type", error_message: "must be one of API, CLIENT" },
        { parameter: "colour", error_message: "is not a known field" },
      ]),
    );
    expect(body).not.toHaveProperty("validation_errors");
  });

  it("names array items with brackets, as the reference API does", async ({ harness: h, partner }) => {
    const response = await call(h, partner, "PUT", "/v1/account/ip-restriction", {
      enforcement_mode: "REPORTING",
      allowed_ips: ["192.0.2.1", "not-an-address"],
    });
    expect(response.statusCode).toBe(400);
    const { errors } = json<{ errors: { parameter: string; error_message: string }[] }>(response);
    expect(errors.map((e) => e.parameter)).toEqual(["allowed_ips[1]"]);
    expect(errors[0]?.error_message).toMatch(/not-an-address/);
  });

  it("links access errors to the README section that explains them", async ({ harness: h }) => {
    const response = await h.app.inject({ method: "GET", url: "/v1/account" });
    expect(response.statusCode).toBe(401);
    expect(json(response)).toMatchObject({
      error_type: "ACCESS_ERROR",
      error_code: "UNAUTHORIZED",
      doc_url: "https://partners.example/guide#credentials-partners",
    });
    const guide = await h.app.inject({ method: "GET", url: "/guide" });
    expect(guide.statusCode).toBe(200);
    expect(guide.headers["content-type"]).toMatch(/^text\/html/);
    expect(guide.body).toContain('id="credentials-partners"');
    expect(guide.body).toContain('id="key-format-http-conventions-audit"');
    expect(guide.body).toContain('href="/guide/credentials"');
    expect((await h.app.inject({ method: "GET", url: "/guide/rate-limits" })).statusCode).toBe(200);
    expect((await h.app.inject({ method: "GET", url: "/guide/..%2Fpackage" })).statusCode).toBe(404);
  });

  it("carries no doc_url with DOCS_URL=off, and points elsewhere when the operator publishes the README", async ({
    startHarness,
  }) => {
    let h = await startHarness({ DOCS_URL: "off" });
    expect(json(await h.app.inject({ method: "GET", url: "/v1/account" }))).not.toHaveProperty("doc_url");
    await h.close();
    h = await startHarness({ DOCS_URL: "https://docs.provider.example/partner-credentials" });
    expect(json(await h.app.inject({ method: "GET", url: "/v1/account" })).doc_url).toBe(
      "https://docs.provider.example/partner-credentials#credentials-partners",
    );
  });
});

describe("Authorization header forms", () => {
  it("accepts Basic <key>, Basic <uuid>:<key> written out, and base64(<uuid or empty>:<key>)", async ({
    harness: h,
    partner,
  }) => {
    const { apiKey, credentialId } = partner;
    for (const authorization of [
      `Basic ${apiKey}`,
      `Basic ${credentialId}:${apiKey}`,
      `Basic ${credentialId.toUpperCase()}:${apiKey}`,
      `Basic ${b64(`${credentialId}:${apiKey}`)}`,
      `Basic ${b64(`:${apiKey}`)}`,
    ]) {
      const response = await h.app.inject({ method: "GET", url: "/v1/account", headers: { authorization } });
      expect(response.statusCode, authorization.slice(0, 50)).toBe(200);
    }
  });

  it("answers 401 when the UUID is not the key's own credential id, in either form", async ({
    harness: h,
    partner,
  }) => {
    const other = json<{ credential_id: string }>(
      await call(h, partner, "POST", "/v1/account/credentials", { type: "API", environment: "LIVE" }),
    ).credential_id;
    const { apiKey } = partner;
    for (const username of [other, "00000000-0000-7000-8000-000000000000", "some-client"]) {
      for (const authorization of [`Basic ${username}:${apiKey}`, `Basic ${b64(`${username}:${apiKey}`)}`]) {
        const response = await h.app.inject({
          method: "GET",
          url: "/v1/account",
          headers: { authorization },
        });
        expect(response.statusCode, authorization.slice(0, 50)).toBe(401);
        expect(json(response)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "UNAUTHORIZED" });
      }
    }
  });
});

describe("status codes and v2 paths", () => {
  it("answers 200 to v1 creates and 201 to v2 creates, over the same credentials", async ({
    harness: h,
    partner,
  }) => {
    const v1 = await call(h, partner, "POST", "/v1/account/credentials", {
      type: "API",
      environment: "TEST",
      description: "v1 key",
    });
    expect(v1.statusCode).toBe(200);
    expect(json(v1)).toMatchObject({ type: "API", api_key: expect.stringMatching(/^klarna_test_api_/) });

    const v2 = await call(h, partner, "POST", "/v2/account/integration/credentials/api-key", {
      environment: "TEST",
      description: "v2 key",
    });
    expect(v2.statusCode).toBe(201);
    const created = json<{ credential_id: string; api_key: string; type: string }>(v2);
    expect(created.type).toBe("API");
    expect(
      (await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(created.api_key) })).statusCode,
    ).toBe(200);

    const client = await call(h, partner, "POST", "/v2/account/integration/credentials/client-identifier", {
      environment: "TEST",
      description: "web shop",
    });
    expect(client.statusCode).toBe(201);
    const clientId = json<{ credential_id: string; client_id: string }>(client);
    expect(clientId.client_id).toMatch(/^klarna_test_client_/);

    // Each v2 list holds its own type only; the v1 list holds both.
    const keys = json<{ credentials: { type: string }[] }>(
      await call(h, partner, "GET", "/v2/account/integration/credentials/api-key"),
    ).credentials;
    expect(new Set(keys.map((c) => c.type))).toEqual(new Set(["API"]));
    expect(keys).toHaveLength(3);
    const clients = json<{ credentials: { credential_id: string }[] }>(
      await call(h, partner, "GET", "/v2/account/integration/credentials/client-identifier"),
    ).credentials;
    expect(clients.map((c) => c.credential_id)).toEqual([clientId.credential_id]);
    expect(
      json<{ credentials: unknown[] }>(await call(h, partner, "GET", "/v1/account/credentials")).credentials,
    ).toHaveLength(4);

    // A credential is found only under its own type's path.
    expect(
      (await call(h, partner, "GET", `/v2/account/integration/credentials/api-key/${created.credential_id}`))
        .statusCode,
    ).toBe(200);
    const wrongType = await call(
      h,
      partner,
      "GET",
      `/v2/account/integration/credentials/api-key/${clientId.credential_id}`,
    );
    expect(wrongType.statusCode).toBe(404);
    expect(
      (
        await call(
          h,
          partner,
          "DELETE",
          `/v2/account/integration/credentials/client-identifier/${created.credential_id}`,
        )
      ).statusCode,
    ).toBe(404);

    const disabled = await call(
      h,
      partner,
      "DELETE",
      `/v2/account/integration/credentials/api-key/${created.credential_id}`,
    );
    expect(disabled.statusCode).toBe(204);
    expect(
      json(await call(h, partner, "GET", `/v1/account/credentials/${created.credential_id}`)),
    ).toMatchObject({
      status: "DISABLED",
      status_reason: "PARTNER",
    });
    expect(
      (await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(created.api_key) })).statusCode,
    ).toBe(401);
  });

  it("PATCH /v2/…/inbound-restriction/ip changes only what it names", async ({ harness: h, partner }) => {
    const path = "/v2/account/integration/inbound-restriction/ip";
    expect(json(await call(h, partner, "GET", path))).toEqual({
      enforcement_mode: "NOT_ENABLED",
      allowed_ips: [],
    });
    const listed = await call(h, partner, "PATCH", path, { allowed_ips: ["192.0.2.0/24"] });
    expect(listed.statusCode).toBe(200);
    expect(json(listed)).toEqual({ enforcement_mode: "NOT_ENABLED", allowed_ips: ["192.0.2.0/24"] });
    const reporting = await call(h, partner, "PATCH", path, { enforcement_mode: "REPORTING" });
    expect(json(reporting)).toEqual({ enforcement_mode: "REPORTING", allowed_ips: ["192.0.2.0/24"] });
    expect(reporting.headers["klarna-ip-validation-status"]).toBeUndefined();
    expect((await call(h, partner, "GET", "/v1/account")).headers["klarna-ip-validation-status"]).toBe(
      "DENIED",
    );
    // The same lock-out guard as v1's PUT: the caller's own address is not in the list.
    const enforced = await call(h, partner, "PATCH", path, { enforcement_mode: "ENFORCED" });
    expect(enforced.statusCode).toBe(409);
    expect(json(enforced)).toMatchObject({ error_code: "INVALID_STATE" });
    const empty = await call(h, partner, "PATCH", path, {});
    expect(empty.statusCode).toBe(400);
    expect(json(await call(h, partner, "GET", "/v1/account/ip-restriction"))).toEqual({
      enforcement_mode: "REPORTING",
      allowed_ips: ["192.0.2.0/24"],
    });
  });

  it("honours Klarna-Partner-Account on v1 and v2 paths, refusing what the caller may not act for", async ({
    harness: h,
    partner,
  }) => {
    const child = await onboardPartnerAccount(h, partner, "Child");
    const asChild = { "klarna-partner-account": child.accountId };
    const v1 = await call(
      h,
      partner,
      "POST",
      "/v1/account/credentials",
      { type: "API", environment: "LIVE" },
      asChild,
    );
    expect(v1.statusCode).toBe(200);
    const v2 = await call(
      h,
      partner,
      "POST",
      "/v2/account/integration/credentials/api-key",
      { environment: "LIVE" },
      asChild,
    );
    expect(v2.statusCode).toBe(201);
    const childKeys = json<{ credentials: { credential_id: string }[] }>(
      await h.app.inject({
        method: "GET",
        url: "/v1/account/credentials",
        headers: basic(child.apiKey),
      }),
    ).credentials.map((c) => c.credential_id);
    expect(childKeys).toEqual(
      expect.arrayContaining([
        json<{ credential_id: string }>(v1).credential_id,
        json<{ credential_id: string }>(v2).credential_id,
      ]),
    );
    const stranger = await onboardAcquiringPartner(h, "Stranger");
    const foreign = await call(h, partner, "GET", "/v2/account/integration/credentials/api-key", undefined, {
      "klarna-partner-account": stranger.accountId,
    });
    expect(foreign.statusCode).toBe(404);
    const malformed = await call(h, partner, "GET", "/v1/account/credentials", undefined, {
      "klarna-partner-account": "LYABCDEI",
    });
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed)).toMatchObject({ errors: [{ parameter: "Klarna-Partner-Account" }] });
  });
});

describe("headers", () => {
  it("sends X-Ratelimit-Limit with the window of every limit that applies", async ({ startHarness }) => {
    const h = await startHarness({ RATE_LIMIT_PARTNER_MANAGEMENT: "40/1s" });
    const partner = await onboardAcquiringPartner(h);
    const own = await call(h, partner, "GET", "/v1/account");
    expect(own.headers["x-ratelimit-limit"]).toBe("40, 40;w=1");
    expect(own.headers["x-ratelimit-remaining"]).toBe("39");
    const child = await onboardPartnerAccount(h, partner, "Child");
    await h.internal.inject({
      method: "PUT",
      url: `/admin/v1/accounts/${child.accountId}/rate-limits`,
      headers: { authorization: "Bearer test-operator-token-0123456789abcdef0123456789" },
      payload: { limits: { PARTNER_MANAGEMENT: "10/1m" } },
    });
    const member = await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(child.apiKey) });
    expect(member.headers["x-ratelimit-limit"]).toBe("10, 10;w=60, 40;w=1");
  });

  it("echoes a valid Partner-Correlation-Id and ignores a bad one with a warning, never failing the call", async ({
    harness: h,
    partner,
  }) => {
    const good = await call(h, partner, "GET", "/v1/account", undefined, {
      "partner-correlation-id": "Order4711",
    });
    expect(good.statusCode).toBe(200);
    expect(good.headers["partner-correlation-id"]).toBe("Order4711");
    expect(good.headers.warning).toBeUndefined();
    for (const bad of ["order-4711", "a b", "x".repeat(256)]) {
      const response = await call(h, partner, "GET", "/v1/account", undefined, {
        "partner-correlation-id": bad,
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers["partner-correlation-id"]).toBeUndefined();
      expect(response.headers.warning).toBe(
        '199 - "Partner-Correlation-Id ignored: use 1 to 255 letters or digits"',
      );
    }
  });

  it("accepts any printable ASCII idempotency key, space included, and refuses the rest", async ({
    harness: h,
    partner,
  }) => {
    const payload = { type: "API", environment: "TEST", description: "once" };
    const key = { "klarna-idempotency-key": "order 4711 / attempt 1" };
    const first = await call(h, partner, "POST", "/v1/account/credentials", payload, key);
    expect(first.statusCode).toBe(200);
    const replay = await call(h, partner, "POST", "/v1/account/credentials", payload, key);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers["klarna-idempotent-replayed"]).toBe("true");
    expect(json(replay).credential_id).toBe(json(first).credential_id);
    const bad = await call(h, partner, "POST", "/v1/account/credentials", payload, {
      "klarna-idempotency-key": "tab\there",
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad)).toMatchObject({
      errors: [
        {
          parameter: "Klarna-Idempotency-Key",
          error_message:
            "must be 1 to 255 printable ASCII characters, spaces included (a UUID is recommended)",
        },
      ],
    });
  });
});

describe("one Client ID per account", () => {
  it("refuses a second ACTIVE Client ID per environment with 409, and lets rotation overlap", async ({
    harness: h,
    partner,
  }) => {
    const create = (environment: string) =>
      call(h, partner, "POST", "/v1/account/credentials", {
        type: "CLIENT",
        environment,
        description: "shop",
      });
    const first = json<{ credential_id: string }>(await create("LIVE"));
    const second = await create("LIVE");
    expect(second.statusCode).toBe(409);
    expect(json(second)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "RESOURCE_CONFLICT" });
    expect(json(second).error_message).toMatch(/Only one LIVE Client ID/);
    expect((await create("TEST")).statusCode).toBe(200);
    expect(
      (
        await call(h, partner, "POST", "/v2/account/integration/credentials/client-identifier", {
          environment: "LIVE",
        })
      ).statusCode,
    ).toBe(409);

    const rotated = await call(h, partner, "POST", `/v1/account/credentials/${first.credential_id}/rotate`, {
      overlap: "PT1H",
    });
    expect(rotated.statusCode).toBe(200);
    const successor = json<{ credential_id: string }>(rotated).credential_id;
    expect((await create("LIVE")).statusCode).toBe(409);

    await call(h, partner, "DELETE", `/v1/account/credentials/${first.credential_id}`);
    await call(h, partner, "DELETE", `/v1/account/credentials/${successor}`);
    const replacement = await create("LIVE");
    expect(replacement.statusCode).toBe(200);
    // Reactivating an old one would make two.
    const enable = await call(h, partner, "POST", `/v1/account/credentials/${first.credential_id}/enable`);
    expect(enable.statusCode).toBe(409);
    const live = json<{ credentials: unknown[] }>(
      await call(h, partner, "GET", "/v1/account/credentials?type=CLIENT&environment=LIVE&status=ACTIVE"),
    ).credentials;
    expect(live).toHaveLength(1);
  });

  it("allows more when the operator says so (CLIENT_IDS_PER_ACCOUNT)", async ({ startHarness }) => {
    const h = await startHarness({ CLIENT_IDS_PER_ACCOUNT: "2" });
    const partner = await onboardAcquiringPartner(h);
    const create = () =>
      call(h, partner, "POST", "/v1/account/credentials", { type: "CLIENT", environment: "LIVE" });
    expect((await create()).statusCode).toBe(200);
    expect((await create()).statusCode).toBe(200);
    const third = await create();
    expect(third.statusCode).toBe(409);
    expect(json(third).error_message).toMatch(/at most 2 active LIVE Client IDs/);
  });

  it("lets only one of two simultaneous creations through", async ({ harness: h, partner }) => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        call(h, partner, "POST", "/v1/account/credentials", { type: "CLIENT", environment: "LIVE" }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
  });
});
