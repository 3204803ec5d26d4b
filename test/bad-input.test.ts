import { describe, expect } from "vitest";
import { generateKey } from "../src/domain/key-format.ts";
import { systemRandom } from "../src/system.ts";
import { it } from "./fixtures.ts";
import { basic, type Harness, json, type OnboardedPartner } from "./harness.ts";

const ERROR_KEYS = ["error_code", "error_id", "error_message", "error_type"];

/** What a bad request must not change: the credentials and the audit trail. */
async function snapshot(h: Harness, partner: OnboardedPartner): Promise<string> {
  const credentials = await h.app.inject({
    method: "GET",
    url: "/v1/account/credentials?page_size=100",
    headers: basic(partner.apiKey),
  });
  const audit = await h.app.inject({
    method: "GET",
    url: "/v1/account/audit-events?page_size=100",
    headers: basic(partner.apiKey),
  });
  const strip = (body: string) => body.replace(/"last_used_at":"[^"]*",?/g, "");
  return strip(credentials.body) + audit.body;
}

const operatorHeaders = () => ({ authorization: "Bearer test-operator-token-0123456789abcdef0123456789" });

function expectContractError(
  response: { statusCode: number; body: string },
  status: number,
  code: string,
): void {
  expect(response.statusCode, response.body).toBe(status);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  expect(
    Object.keys(body)
      .filter((k) => k !== "errors" && k !== "doc_url")
      .sort(),
  ).toEqual(ERROR_KEYS);
  if ("doc_url" in body) expect(body.doc_url).toMatch(/^https:\/\/partners\.example\/guide#[a-z-]+$/);
  expect(body.error_code).toBe(code);
  expect(response.body).not.toMatch(/at .*\.ts:\d+|node_modules|stack/i);
}

describe("bad input gets a contract error and changes nothing", () => {
  it("rejects malformed bodies on create", async ({ harness: h, partner }) => {
    const before = await snapshot(h, partner);
    const cases: {
      payload: string;
      contentType?: string;
      status: number;
      code: string;
      parameter?: string;
    }[] = [
      { payload: "{", status: 400, code: "VALIDATION_ERROR" },
      { payload: "", status: 400, code: "VALIDATION_ERROR" },
      { payload: "[]", status: 400, code: "VALIDATION_ERROR", parameter: "body" },
      { payload: '"API"', status: 400, code: "VALIDATION_ERROR" },
      { payload: '{"type":"API"}', status: 400, code: "VALIDATION_ERROR", parameter: "environment" },
      {
        payload: '{"type":"KEY","environment":"LIVE"}',
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "type",
      },
      {
        payload: '{"type":"API","environment":"PROD"}',
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "environment",
      },
      {
        payload: '{"type":"API","environment":"live"}',
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "environment",
      },
      {
        payload: '{"type":1,"environment":"LIVE"}',
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "type",
      },
      {
        payload: '{"type":"API","environment":"LIVE","description":7}',
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "description",
      },
      {
        payload: `{"type":"API","environment":"LIVE","description":"${"a".repeat(101)}"}`,
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "description",
      },
      {
        payload: '{"type":"API","environment":"LIVE","description":"<script>"}',
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "description",
      },
      {
        payload: '{"type":"API","environment":"LIVE","description":"caf\\u00e9"}',
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "description",
      },
      {
        payload: '{"type":"API","environment":"LIVE","api_key":"mine"}',
        status: 400,
        code: "VALIDATION_ERROR",
        parameter: "api_key",
      },
      {
        payload: '{"type":"API","environment":"LIVE","__proto__":{"x":1}}',
        status: 400,
        code: "VALIDATION_ERROR",
      },
      { payload: "type=API", contentType: "text/plain", status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    ];
    for (const c of cases) {
      const response = await h.app.inject({
        method: "POST",
        url: "/v1/account/credentials",
        headers: { ...basic(partner.apiKey), "content-type": c.contentType ?? "application/json" },
        payload: c.payload,
      });
      expectContractError(response, c.status, c.code);
      if (c.parameter) {
        const issues = json<{ errors: { parameter: string; error_message: string }[] }>(response).errors;
        expect(
          issues.map((i) => i.parameter),
          c.payload,
        ).toContain(c.parameter);
      }
    }
    expect(await snapshot(h, partner)).toBe(before);
  });

  it("answers 400, not 500, to a body nested thousands of levels deep", async ({ harness: h, partner }) => {
    const deep = `{"description":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const before = await snapshot(h, partner);
    for (const [app, url, headers] of [
      [h.app, "/v1/account/credentials", basic(partner.apiKey)],
      [
        h.internal,
        `/admin/v1/accounts/${partner.accountId}/credentials/${partner.credentialId}/disable`,
        operatorHeaders(),
      ],
    ] as const) {
      const response = await app.inject({
        method: "POST",
        url,
        headers: { ...headers, "content-type": "application/json", "klarna-idempotency-key": "%" },
        payload: deep,
      });
      expectContractError(response, 400, "VALIDATION_ERROR");
    }
    expect(await snapshot(h, partner)).toBe(before);
  });

  it("rejects bodies over 1 MB with 413", async ({ harness: h, partner }) => {
    const before = await snapshot(h, partner);
    const response = await h.app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: { ...basic(partner.apiKey), "content-type": "application/json" },
      payload: JSON.stringify({ type: "API", environment: "LIVE", description: "x".repeat(1024 * 1024) }),
    });
    expectContractError(response, 413, "PAYLOAD_TOO_LARGE");
    expect(await snapshot(h, partner)).toBe(before);
  });

  it("rejects bad query parameters and ids", async ({ harness: h, partner }) => {
    for (const query of [
      "?type=KEY",
      "?status=GONE",
      "?page_size=0",
      "?page_size=101",
      "?page_size=x",
      "?page_token=garbage",
      "?unknown=1",
    ]) {
      const response = await h.app.inject({
        method: "GET",
        url: `/v1/account/credentials${query}`,
        headers: basic(partner.apiKey),
      });
      expectContractError(response, 400, "VALIDATION_ERROR");
    }
    // Numbers JSON cannot hold, and a well-formed token with a NUL byte (which PostgreSQL refuses),
    // on every paginated endpoint.
    const nulToken = Buffer.from(JSON.stringify(["2026-01-01T00:00:00.000Z", "a\u0000b"])).toString(
      "base64url",
    );
    for (const path of [
      "/v1/account/credentials",
      "/v1/account/audit-events",
      "/v1/accounts",
      "/v1/account/client-certificates",
    ]) {
      for (const query of [
        "?page_size=Infinity",
        "?page_size=-Infinity",
        "?page_size=1e400",
        `?page_token=${nulToken}`,
      ]) {
        const response = await h.app.inject({
          method: "GET",
          url: `${path}${query}`,
          headers: basic(partner.apiKey),
        });
        expectContractError(response, 400, "VALIDATION_ERROR");
      }
    }
    const before = await snapshot(h, partner);
    for (const [method, url] of [
      ["GET", "/v1/account/credentials/not-a-uuid"],
      ["DELETE", "/v1/account/credentials/not-a-uuid"],
      ["POST", "/v1/account/credentials/12345/enable"],
    ] as const) {
      expectContractError(
        await h.app.inject({ method, url, headers: basic(partner.apiKey) }),
        400,
        "VALIDATION_ERROR",
      );
    }
    for (const [method, url] of [
      ["GET", "/v1/account/credentials/0190f5d2-8c4e-7c7a-9d2f-0123456789ab"],
      ["DELETE", "/v1/account/credentials/0190f5d2-8c4e-7c7a-9d2f-0123456789ab"],
      ["POST", "/v1/account/credentials/0190f5d2-8c4e-7c7a-9d2f-0123456789ab/enable"],
    ] as const) {
      expectContractError(
        await h.app.inject({ method, url, headers: basic(partner.apiKey) }),
        404,
        "NOT_FOUND",
      );
    }
    const patch = await h.app.inject({
      method: "PATCH",
      url: `/v1/account/credentials/${partner.credentialId}`,
      headers: basic(partner.apiKey),
      payload: { description: "bad\nline" },
    });
    expectContractError(patch, 400, "VALIDATION_ERROR");
    expectContractError(
      await h.app.inject({ method: "GET", url: "/v1/nothing-here", headers: basic(partner.apiKey) }),
      404,
      "NOT_FOUND",
    );
    expect(await snapshot(h, partner)).toBe(before);
  });

  it("answers 401 for every malformed, wrong or garbage credential", async ({ harness: h, partner }) => {
    const before = await snapshot(h, partner);
    const valid = partner.apiKey;
    const flipped = `${valid.slice(0, -1)}${valid.endsWith("A") ? "B" : "A"}`;
    const otherSecret = `${valid.slice(0, 28)}${valid.slice(28, 40).split("").reverse().join("")}${valid.slice(40)}`;
    const unknownButWellFormed = generateKey({
      brand: "klarna",
      environment: "LIVE",
      type: "API",
      random: systemRandom,
    }).key;
    const headers = [
      undefined,
      "",
      "Basic",
      "Basic ",
      `Bearer ${valid}`,
      `Basic ${flipped}`,
      `Basic ${otherSecret}`,
      `Basic ${unknownButWellFormed}`,
      `Basic ${valid.replace("klarna_", "acme_")}`,
      `Basic ${valid.replace("_live_", "_test_")}`,
      "Basic !!!!",
      "Basic Zm9vYmFy",
      `Basic ${"a".repeat(2000)}`,
      "Digest username=x",
      `Basic ${valid} extra`,
    ];
    for (const authorization of headers) {
      const response = await h.app.inject({
        method: "POST",
        url: "/v1/account/credentials",
        headers: authorization === undefined ? {} : { authorization },
        payload: { type: "API", environment: "LIVE" },
      });
      expectContractError(response, 401, "UNAUTHORIZED");
      expect(json<{ error_message: string }>(response).error_message).toBe(
        "Missing or invalid API key. Send it as: Authorization: Basic <api_key> (or Basic <credential_id>:<api_key>)",
      );
    }
    expect(await snapshot(h, partner)).toBe(before);
  });

  it("rejects oversized headers, and ignores a bad correlation id with a warning", async ({
    harness: h,
    partner,
  }) => {
    const big = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: { ...basic(partner.apiKey), "x-filler": "x".repeat(7 * 1024) },
    });
    expectContractError(big, 431, "HEADERS_TOO_LARGE");
    const many = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: {
        ...basic(partner.apiKey),
        ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`x-f${i}`, "y".repeat(5000)])),
      },
    });
    expectContractError(many, 431, "HEADERS_TOO_LARGE");
    const correlation = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: { ...basic(partner.apiKey), "partner-correlation-id": "not valid!" },
    });
    expect(correlation.statusCode).toBe(200);
    expect(correlation.headers["partner-correlation-id"]).toBeUndefined();
    expect(correlation.headers.warning).toMatch(/^199 - "Partner-Correlation-Id ignored/);
  });

  it("rejects bad operator input", async ({ harness: h, partner: _partner }) => {
    const operatorHeaders = { authorization: "Bearer test-operator-token-0123456789abcdef0123456789" };
    for (const payload of [
      {},
      { name: "" },
      { name: "   " },
      { name: "x".repeat(101) },
      { name: "ok", environment: "PROD" },
      { name: "a\u0000b" },
    ]) {
      const response = await h.internal.inject({
        method: "POST",
        url: "/admin/v1/accounts",
        headers: operatorHeaders,
        payload,
      });
      expectContractError(response, 400, "VALIDATION_ERROR");
    }
    const unknown = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts/krn:partner:global:account:live:ZZZZZZZZ/onboarding-link",
      headers: operatorHeaders,
    });
    expectContractError(unknown, 404, "NOT_FOUND");
    const accounts = await h.internal.inject({
      method: "GET",
      url: "/admin/v1/accounts",
      headers: operatorHeaders,
    });
    expect(json<{ accounts: unknown[] }>(accounts).accounts).toHaveLength(1);
  });
});
