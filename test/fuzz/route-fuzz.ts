import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { routesOf } from "../../src/http/fastify.ts";
import type { App } from "../../src/http/types.ts";
import {
  ADMIN_TOKEN,
  type Harness,
  onboardAcquiringPartner,
  onboardPartnerAccount,
  operator,
  startHarness,
} from "../harness.ts";

/**
 * Property: whatever a client sends to any route of either listener, the answer is never a 5xx,
 * and every error is the contract's body without a stack trace. Shared by the bounded run in
 * `npm test` and the long one in `npm run fuzz`.
 */

interface Target {
  app: App;
  method: string;
  url: string;
}

const weird = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "%00",
    "%zz",
    "..",
    "Infinity",
    "-1",
    "1e400",
    "NaN",
    "null",
    "[]",
    "{}",
    "\u0000",
    "x".repeat(300),
  ),
  fc.uuid(),
);

const numberish = fc.oneof(
  fc.constantFrom("Infinity", "-Infinity", "1e400", "NaN", "0", "-1", "101", "1.5", "", "50", "0x10"),
  fc.integer().map(String),
);

function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "x";
  }
}

function bodyArbitrary(): fc.Arbitrary<string | undefined> {
  const deep = fc.integer({ min: 1, max: 5000 }).map((n) => `${"[".repeat(n)}${"]".repeat(n)}`);
  const shaped = fc.record(
    {
      type: fc.oneof(fc.constantFrom("API", "CLIENT"), weird),
      environment: fc.oneof(fc.constantFrom("LIVE", "TEST"), weird),
      description: fc.oneof(fc.string({ maxLength: 120 }), fc.jsonValue()),
      name: fc.oneof(fc.string({ maxLength: 120 }), fc.jsonValue()),
      origin: weird,
      overlap: fc.oneof(fc.constantFrom("PT1H", "P31D", "-PT1H"), weird),
      enforcement_mode: fc.oneof(fc.constantFrom("NOT_ENABLED", "REPORTING", "ENFORCED"), weird),
      allowed_ips: fc.array(weird, { maxLength: 4 }),
      enforced_from: weird,
      limits: fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(weird, fc.constant(null))),
      client_id: weird,
      certificate_signing_request: weird,
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    fc.constant(undefined),
    shaped.map((value) => JSON.stringify(value)),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    deep.map((nested) => `{"type":"API","environment":"LIVE","description":${nested}}`),
    fc.string({ maxLength: 200 }),
  );
}

export async function fuzzRoutes(options: { runs: number; seed?: number }): Promise<void> {
  const h: Harness = await startHarness();
  try {
    const parent = await onboardAcquiringPartner(h);
    const child = await onboardPartnerAccount(h, parent, "Fuzz Child");
    const token = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/service-tokens",
      headers: operator,
      payload: { name: "fuzz" },
    });
    const serviceToken = (JSON.parse(token.body) as { token: string }).token;
    const targets: Target[] = [
      ...routesOf(h.app).map((r) => ({ app: h.app, ...r })),
      ...routesOf(h.internal).map((r) => ({ app: h.internal, ...r })),
    ].filter((t) => !t.url.startsWith("/docs"));
    if (targets.length < 40) throw new Error(`only ${targets.length} routes found`);

    const param = fc.oneof(
      fc.constantFrom(
        child.accountId,
        parent.accountId,
        child.credentialId,
        "krn:partner:global:account:live:ZZZZZZZZ",
      ),
      weird,
    );
    const authorization = fc.oneof(
      fc.constantFrom(`Basic ${parent.apiKey}`, `Basic ${child.apiKey}`, `Bearer ${ADMIN_TOKEN}`),
      weird.map((w) => `Basic ${w}`),
      weird,
    );
    const request = fc.record({
      route: fc.constantFrom(...targets.map((t, index) => `${index} ${t.method} ${t.url}`)),
      params: fc.array(param, { minLength: 3, maxLength: 3 }),
      query: fc.dictionary(
        fc.oneof(
          fc.constantFrom("page_size", "page_token", "type", "environment", "status", "category"),
          fc.string({ maxLength: 10 }),
        ),
        fc.oneof(numberish, weird),
        { maxKeys: 3 },
      ),
      body: bodyArbitrary(),
      contentType: fc.constantFrom(
        "application/json",
        "application/json",
        "text/plain",
        "application/x-www-form-urlencoded",
        "*/*",
      ),
      authorization: fc.option(authorization, { nil: undefined }),
      idempotencyKey: fc.option(weird, { nil: undefined }),
      partnerAccount: fc.option(param, { nil: undefined }),
      withServiceToken: fc.boolean(),
      denial: fc.option(
        fc.oneof(
          weird,
          fc.base64String().map((b) => b.replace(/=+$/, "")),
        ),
        { nil: undefined },
      ),
    });

    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const target = targets[Number.parseInt(r.route, 10)] as Target;
        let i = 0;
        const url = target.url
          .replace(/:[a-z_]+/g, () => encodeSegment(r.params[i++ % 3] ?? ""))
          .replace("*", encodeSegment(r.params[2] ?? ""));
        const query = new URLSearchParams(r.query as Record<string, string>).toString();
        const headers: Record<string, string> = { "content-type": r.contentType };
        if (r.authorization !== undefined) headers.authorization = r.authorization;
        if (r.idempotencyKey !== undefined) headers["klarna-idempotency-key"] = r.idempotencyKey;
        if (r.partnerAccount !== undefined) headers["klarna-partner-account"] = r.partnerAccount;
        if (r.withServiceToken) headers["x-service-token"] = serviceToken;
        if (r.denial !== undefined && r.denial !== "") headers["x-klarna-auth-denial"] = r.denial;
        for (const [name, value] of Object.entries(headers)) {
          if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) delete headers[name];
        }
        const response: LightMyRequestResponse = await target.app.inject({
          method: target.method as "GET",
          url: `${url}${query ? `?${query}` : ""}`,
          headers,
          ...(r.body !== undefined && target.method !== "GET" ? { payload: r.body } : {}),
        });
        const where = `${target.method} ${url} → ${response.statusCode} ${response.body.slice(0, 300)}`;
        // The one 5xx by design: nginx's denial location reached without a carried refusal means
        // the auth request itself failed, and the partner is asked to retry (503).
        const retryLater =
          target.url === "/internal/v1/denial" &&
          !headers["x-klarna-auth-denial"] &&
          response.statusCode === 503;
        if (response.statusCode >= 500 && !retryLater) throw new Error(`5xx: ${where}`);
        if (/\n\s+at\s|node_modules|\.ts:\d+/.test(response.body)) throw new Error(`stack trace: ${where}`);
        const type = String(response.headers["content-type"] ?? "");
        if (response.statusCode >= 400 && type.startsWith("application/json")) {
          const body = JSON.parse(response.body) as Record<string, unknown>;
          for (const field of ["error_id", "error_type", "error_code", "error_message"]) {
            if (typeof body[field] !== "string")
              throw new Error(`not the error contract (${field}): ${where}`);
          }
        }
      }),
      { numRuns: options.runs, seed: options.seed, endOnFailure: true },
    );
  } finally {
    await h.close();
  }
}
