import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { KEY_PATTERN } from "../src/domain/key-format.ts";
import { it } from "./fixtures.ts";
import { ADMIN_TOKEN, BEHIND_TLS_PROXY, basic, type Harness, json, operator } from "./harness.ts";
import { partnerctl } from "./process.ts";

it.override({ harnessOptions: { env: BEHIND_TLS_PROXY } });

async function createAccount(
  h: Harness,
  name = "Acme Payments",
): Promise<{ accountId: string; path: string; url: string }> {
  const response = await h.internal.inject({
    method: "POST",
    url: "/admin/v1/accounts",
    headers: operator,
    payload: { name },
  });
  expect(response.statusCode).toBe(201);
  const body = json<{ account_id: string; onboarding_url: string; expires_at: string }>(response);
  expect(body.onboarding_url).toMatch(/^https:\/\/partners\.example\/onboarding\/[A-Za-z0-9_-]{43}$/);
  expect(Date.parse(body.expires_at) - h.clock.now().getTime()).toBe(72 * 3_600_000);
  return {
    accountId: body.account_id,
    url: body.onboarding_url,
    path: new URL(body.onboarding_url).pathname,
  };
}

describe("secure onboarding link", () => {
  it("shows a reveal page on GET without consuming the link, then claims once", async ({ harness: h }) => {
    const { accountId, path } = await createAccount(h);
    for (let i = 0; i < 3; i++) {
      const page = await h.app.inject({ method: "GET", url: path });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toContain("text/html");
      expect(page.headers["cache-control"]).toBe("no-store");
      expect(page.headers["referrer-policy"]).toBe("no-referrer");
      expect(page.body).toContain('<form method="post">');
      expect(page.body).toContain("Acme Payments");
      expect(page.body).not.toMatch(/klarna_(live|test)_api_/);
    }
    const claim = await h.app.inject({ method: "POST", url: path, headers: { accept: "application/json" } });
    expect(claim.statusCode).toBe(201);
    const body = json<{ account_id: string; credential_id: string; api_key: string }>(claim);
    expect(body.account_id).toBe(accountId);
    expect(body.api_key).toMatch(KEY_PATTERN);
    expect(body.api_key).toMatch(/^klarna_live_api_[0-9A-Za-z]{50}$/);

    const me = await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(body.api_key) });
    expect(json(me)).toMatchObject({
      account_id: accountId,
      type: "ACQUIRING_PARTNER",
      name: "Acme Payments",
    });

    const again = await h.app.inject({ method: "POST", url: path, headers: { accept: "application/json" } });
    expect(again.statusCode).toBe(410);
    expect(json(again)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "LINK_ALREADY_USED" });
    const prefersHtml = await h.app.inject({
      method: "POST",
      url: path,
      headers: { accept: "text/html, application/json;q=0" },
    });
    expect(prefersHtml.headers["content-type"]).toContain("text/html");
    const againHtml = await h.app.inject({ method: "POST", url: path });
    expect(againHtml.statusCode).toBe(410);
    expect(againHtml.body).toContain("already been used");
    const pageAfter = await h.app.inject({ method: "GET", url: path });
    expect(pageAfter.statusCode).toBe(410);
  });

  it("claims from the HTML form and offers the key as a .txt download", async ({ harness: h }) => {
    const { path } = await createAccount(h);
    const claim = await h.app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "",
    });
    expect(claim.statusCode).toBe(200);
    expect(claim.headers["content-type"]).toContain("text/html");
    expect(claim.headers["cache-control"]).toBe("no-store");
    const key = /<code id="api-key">([^<]+)<\/code>/.exec(claim.body)?.[1] ?? "";
    expect(key).toMatch(KEY_PATTERN);
    expect(claim.body).toContain('download="klarna-api-key.txt"');
    expect(claim.body).toContain(encodeURIComponent(key));
    const works = await h.app.inject({ method: "GET", url: "/v1/account/credentials", headers: basic(key) });
    expect(works.statusCode).toBe(200);
  });

  it("expires after 72 hours", async ({ harness: h }) => {
    const { path } = await createAccount(h);
    h.clock.advance(72 * 3_600_000);
    const claim = await h.app.inject({ method: "POST", url: path, headers: { accept: "application/json" } });
    expect(claim.statusCode).toBe(410);
    expect(json(claim)).toMatchObject({ error_code: "LINK_EXPIRED" });
    const page = await h.app.inject({ method: "GET", url: path });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain("expired");
  });

  it("re-issuing a link invalidates the previous one", async ({ harness: h }) => {
    const { accountId, path: first } = await createAccount(h);
    const reissued = await h.internal.inject({
      method: "POST",
      url: `/admin/v1/accounts/${accountId}/onboarding-link`,
      headers: operator,
    });
    expect(reissued.statusCode).toBe(201);
    const second = new URL(json<{ onboarding_url: string }>(reissued).onboarding_url).pathname;
    expect(second).not.toBe(first);
    const old = await h.app.inject({ method: "POST", url: first, headers: { accept: "application/json" } });
    expect(old.statusCode).toBe(410);
    const fresh = await h.app.inject({
      method: "POST",
      url: second,
      headers: { accept: "application/json" },
    });
    expect(fresh.statusCode).toBe(201);
  });

  it("answers 404 for unknown or malformed tokens, with a page for people", async ({ harness: h }) => {
    const tooLong = await h.app.inject({ method: "GET", url: `/onboarding/${"a".repeat(600)}` });
    expect(tooLong.statusCode).toBe(414);
    expect(json(tooLong)).toMatchObject({ error_type: "INPUT_ERROR", error_code: "URI_TOO_LONG" });
    expect(tooLong.body).not.toContain("aaaa");
    for (const token of ["x", "A".repeat(43), "%00", "a".repeat(99)]) {
      const page = await h.app.inject({ method: "GET", url: `/onboarding/${token}` });
      expect(page.statusCode).toBe(404);
      const claim = await h.app.inject({
        method: "POST",
        url: `/onboarding/${token}`,
        headers: { accept: "application/json" },
      });
      expect(claim.statusCode).toBe(404);
      expect(json(claim)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "NOT_FOUND" });
    }
  });

  it("makes exactly one key when the same link is claimed concurrently", async ({ harness: h }) => {
    const { path } = await createAccount(h);
    const claims = await Promise.all(
      Array.from({ length: 8 }, () =>
        h.app.inject({ method: "POST", url: path, headers: { accept: "application/json" } }),
      ),
    );
    expect(claims.filter((c) => c.statusCode === 201)).toHaveLength(1);
    expect(claims.filter((c) => c.statusCode === 410)).toHaveLength(7);
  });

  it("requires the operator token for the admin API", async ({ harness: h }) => {
    for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: "Basic abc" }]) {
      const response = await h.internal.inject({
        method: "POST",
        url: "/admin/v1/accounts",
        headers,
        payload: { name: "x" },
      });
      expect(response.statusCode).toBe(401);
      expect(json(response)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "UNAUTHORIZED" });
    }
    const list = await h.internal.inject({ method: "GET", url: "/admin/v1/accounts", headers: operator });
    expect(json(list)).toEqual({ accounts: [] });
  });

  it("throttles guessed links and failed operator tokens per address, never the real ones", async ({
    startHarness,
  }) => {
    const h = await startHarness({
      ...BEHIND_TLS_PROXY,
      LINK_FAILURES_PER_IP: "5/60s",
      OPERATOR_FAILURES_PER_IP: "3/60s",
    });
    const { path } = await createAccount(h);
    const guess = (remoteAddress: string) =>
      h.app.inject({
        method: "GET",
        url: `/onboarding/${"g".repeat(43)}`,
        headers: { accept: "application/json" },
        remoteAddress,
      });
    const guesses: number[] = [];
    for (let i = 0; i < 8; i++) guesses.push((await guess("198.51.100.5")).statusCode);
    expect(guesses).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
    const refused = await guess("198.51.100.5");
    expect(json(refused)).toMatchObject({ error_code: "RATE_LIMITED" });
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect((await guess("198.51.100.6")).statusCode).toBe(404);
    // The real link still opens from the guessing address.
    const real = await h.app.inject({ method: "GET", url: path, remoteAddress: "198.51.100.5" });
    expect(real.statusCode).toBe(200);

    const admin = (token: string) =>
      h.internal.inject({
        method: "GET",
        url: "/admin/v1/accounts",
        headers: { authorization: `Bearer ${token}` },
        remoteAddress: "198.51.100.9",
      });
    const attempts: number[] = [];
    for (let i = 0; i < 5; i++) attempts.push((await admin(`wrong-${i}`)).statusCode);
    expect(attempts).toEqual([401, 401, 401, 429, 429]);
    expect((await admin(ADMIN_TOKEN)).statusCode).toBe(200);
  });

  it("counts a proxy's clients apart when it forwards only X-Real-IP", async ({ startHarness }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, LINK_FAILURES_PER_IP: "2/60s" });
    const guess = (client: string) =>
      h.app.inject({
        method: "GET",
        url: `/onboarding/${"g".repeat(43)}`,
        headers: { accept: "application/json", "x-real-ip": client },
        // The proxy (trusted) connects; the client is named only by X-Real-IP.
        remoteAddress: "198.51.100.5",
      });
    const first: number[] = [];
    for (let i = 0; i < 3; i++) first.push((await guess("192.0.2.77")).statusCode);
    expect(first).toEqual([404, 404, 429]);
    expect((await guess("192.0.2.78")).statusCode).toBe(404);
  });

  it("admits named operators from ADMIN_TOKENS_FILE and names them in audit events", async ({
    startHarness,
  }) => {
    const made = await partnerctl(["admin", "operators", "new", "--name", "alice", "--json"]);
    expect(made.code, made.stderr).toBe(0);
    const { token, entry } = JSON.parse(made.stdout) as { token: string; entry: object };
    const file = join(mkdtempSync(join(tmpdir(), "operators-")), "operators.json");
    writeFileSync(file, JSON.stringify({ operators: [entry] }));
    const h = await startHarness({ ...BEHIND_TLS_PROXY, ADMIN_TOKENS_FILE: file });
    const created = await h.internal.inject({
      method: "POST",
      url: "/admin/v1/accounts",
      headers: { authorization: `Bearer ${token}` },
      payload: { name: "By Alice" },
    });
    expect(created.statusCode).toBe(201);
    const accountId = json<{ account_id: string }>(created).account_id;
    const events = await h.store.listAuditEvents({ accountId, after: null, limit: 10 });
    expect(events.map((e) => e.actor)).toEqual(["operator:alice", "operator:alice"]);
    // The shared token still works, as plain "operator"; anything else does not.
    expect(
      (await h.internal.inject({ method: "GET", url: "/admin/v1/accounts", headers: operator })).statusCode,
    ).toBe(200);
    const wrong = await h.internal.inject({
      method: "GET",
      url: "/admin/v1/accounts",
      headers: { authorization: `Bearer ${token.slice(0, -1)}x` },
    });
    expect(wrong.statusCode).toBe(401);
    // A file that is not what it should be stops the start, naming the variable.
    writeFileSync(file, JSON.stringify({ operators: [{ name: "Bob!", token_sha256: "00" }] }));
    await expect(startHarness({ ...BEHIND_TLS_PROXY, ADMIN_TOKENS_FILE: file })).rejects.toThrow(
      /ADMIN_TOKENS_FILE/,
    );
  });
});
