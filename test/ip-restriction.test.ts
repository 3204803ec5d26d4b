import { describe, expect } from "vitest";
import { it } from "./fixtures.ts";
import type { Harness, OnboardedPartner } from "./harness.ts";
import { BEHIND_TLS_PROXY, basic, json, onboardAcquiringPartner } from "./harness.ts";

it.override({ harnessOptions: { env: BEHIND_TLS_PROXY } });

const IP_HEADER = "klarna-ip-validation-status";

const put = (h: Harness, partner: OnboardedPartner, payload: object, remoteAddress = "127.0.0.1") =>
  h.app.inject({
    method: "PUT",
    url: "/v1/account/ip-restriction",
    headers: basic(partner.apiKey),
    payload,
    remoteAddress,
  });

const get = (
  h: Harness,
  partner: OnboardedPartner,
  remoteAddress = "127.0.0.1",
  headers: Record<string, string> = {},
) =>
  h.app.inject({
    method: "GET",
    url: "/v1/account",
    headers: { ...basic(partner.apiKey), ...headers },
    remoteAddress,
  });

describe("IP allow-list", () => {
  it("REPORTING lets requests pass and reports ALLOWED or DENIED", async ({ harness: h, partner }) => {
    expect((await get(h, partner)).headers[IP_HEADER]).toBeUndefined();
    const excluded = await put(h, partner, { enforcement_mode: "REPORTING", allowed_ips: ["10.0.0.0/8"] });
    expect(excluded.statusCode).toBe(200);
    expect(json(excluded)).toEqual({ enforcement_mode: "REPORTING", allowed_ips: ["10.0.0.0/8"] });
    const denied = await get(h, partner);
    expect(denied.statusCode).toBe(200);
    expect(denied.headers[IP_HEADER]).toBe("DENIED");
    await put(h, partner, { enforcement_mode: "REPORTING", allowed_ips: ["127.0.0.1", "2001:db8::/32"] });
    expect((await get(h, partner)).headers[IP_HEADER]).toBe("ALLOWED");
    expect((await get(h, partner, "2001:db8::7")).headers[IP_HEADER]).toBe("ALLOWED");
  });

  it("ENFORCED refuses other addresses with 403 and no header, and will not lock the caller out unless forced", async ({
    harness: h,
    partner,
  }) => {
    const lockout = await put(h, partner, { enforcement_mode: "ENFORCED", allowed_ips: ["10.0.0.0/8"] });
    expect(lockout.statusCode).toBe(409);
    expect(json<{ error_message: string }>(lockout).error_message).toContain("127.0.0.1");
    expect((await get(h, partner)).statusCode).toBe(200);

    const allowedSelf = await put(h, partner, {
      enforcement_mode: "ENFORCED",
      allowed_ips: ["127.0.0.1", "192.0.2.0/24"],
    });
    expect(allowedSelf.statusCode).toBe(200);
    const fine = await get(h, partner);
    expect(fine.statusCode).toBe(200);
    expect(fine.headers[IP_HEADER]).toBeUndefined();
    const elsewhere = await get(h, partner, "203.0.113.50");
    expect(elsewhere.statusCode).toBe(403);
    expect(json(elsewhere)).toMatchObject({ error_type: "ACCESS_ERROR", error_code: "IP_NOT_ALLOWED" });
    expect(elsewhere.headers[IP_HEADER]).toBeUndefined();

    const forced = await put(h, partner, {
      enforcement_mode: "ENFORCED",
      allowed_ips: ["192.0.2.0/24"],
      force: true,
    });
    expect(forced.statusCode).toBe(200);
    expect((await get(h, partner)).statusCode).toBe(403);
    expect((await get(h, partner, "192.0.2.3")).statusCode).toBe(200);
    const events = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 10 });
    expect(events.filter((e) => e.action === "ip_restriction.updated").map((e) => e.statusAfter)).toEqual([
      "ENFORCED",
      "ENFORCED",
    ]);
  });

  it("rejects malformed entries, more than 100, zone ids and unknown modes, changing nothing", async ({
    harness: h,
    partner,
  }) => {
    await put(h, partner, { enforcement_mode: "REPORTING", allowed_ips: ["127.0.0.1"] });
    for (const payload of [
      { enforcement_mode: "REPORTING", allowed_ips: ["10.0.0.0/33"] },
      { enforcement_mode: "REPORTING", allowed_ips: ["999.1.1.1"] },
      { enforcement_mode: "REPORTING", allowed_ips: ["fe80::1%eth0"] },
      { enforcement_mode: "REPORTING", allowed_ips: ["10.0.0.1/8/2"] },
      { enforcement_mode: "REPORTING", allowed_ips: Array.from({ length: 101 }, (_, i) => `10.0.${i}.1`) },
      { enforcement_mode: "SOMETIMES", allowed_ips: [] },
      { enforcement_mode: "REPORTING" },
      { enforcement_mode: "REPORTING", allowed_ips: "127.0.0.1" },
    ]) {
      const response = await put(h, partner, payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(json(response)).toMatchObject({ error_type: "INPUT_ERROR", error_code: "VALIDATION_ERROR" });
    }
    const state = await h.app.inject({
      method: "GET",
      url: "/v1/account/ip-restriction",
      headers: basic(partner.apiKey),
    });
    expect(json(state)).toEqual({ enforcement_mode: "REPORTING", allowed_ips: ["127.0.0.1"] });
  });

  it("believes X-Forwarded-For and the client-certificate header only from trusted proxies", async ({
    startHarness,
  }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, TRUSTED_PROXIES: "10.0.0.0/8" });
    const partner = await onboardAcquiringPartner(h);
    await put(
      h,
      partner,
      { enforcement_mode: "ENFORCED", allowed_ips: ["198.51.100.7"], force: true },
      "10.0.0.2",
    );
    // Through the trusted proxy, the forwarded client address counts.
    const viaProxy = await get(h, partner, "10.0.0.2", { "x-forwarded-for": "198.51.100.7" });
    expect(viaProxy.statusCode).toBe(200);
    // The same header from anywhere else changes nothing: the peer address is used.
    const forged = await get(h, partner, "203.0.113.9", { "x-forwarded-for": "198.51.100.7" });
    expect(forged.statusCode).toBe(403);
  });
});

describe("client certificate forwarded by a TLS-terminating proxy", () => {
  it.override({
    harnessOptions: {
      env: { ...BEHIND_TLS_PROXY, TRUSTED_PROXIES: "10.0.0.0/8", CLIENT_CERT_HEADER: "X-SSL-Client-Cert" },
    },
  });

  it("verifies the header's certificate from a trusted proxy and ignores it from anywhere else", async ({
    harness: h,
    partner,
  }) => {
    const { opensslKeyAndCsr } = await import("./openssl.ts");
    const { accountShortId } = await import("../src/domain/identifiers.ts");
    const { csrPem } = opensslKeyAndCsr({ commonName: accountShortId(partner.accountId) });
    const issued = await h.app.inject({
      method: "POST",
      url: "/v1/account/client-certificates",
      headers: basic(partner.apiKey),
      payload: { certificate_signing_request: csrPem },
    });
    const pem = json<{ certificate: string }>(issued).certificate;
    const escaped = encodeURIComponent(pem); // nginx $ssl_client_escaped_cert
    const xfcc = `By=spiffe://proxy;Hash=abc;Cert="${encodeURIComponent(pem)}";Subject="CN=x"`; // Envoy
    const status = async (remoteAddress: string, header: string | undefined) =>
      (await get(h, partner, remoteAddress, header === undefined ? {} : { "x-ssl-client-cert": header }))
        .headers["klarna-mtls-verification-status"];
    expect(await status("10.0.0.2", escaped)).toBe("VALID");
    expect(await status("10.0.0.2", xfcc)).toBe("VALID");
    expect(await status("10.0.0.2", undefined)).toBe("NOT_PRESENT");
    expect(await status("10.0.0.2", "garbage%")).toBe("INVALID");
    // An XFCC header a client started and the proxy appended to holds two elements: trusted neither.
    expect(await status("10.0.0.2", `Cert="${encodeURIComponent(pem)}",${xfcc}`)).toBe("INVALID");
    expect(await status("127.0.0.1", escaped)).toBe("NOT_PRESENT");
    // Anyone else is neither a proxy to believe nor a client to serve over plain HTTP.
    const direct = await get(h, partner, "203.0.113.9", { "x-ssl-client-cert": escaped });
    expect(direct.statusCode).toBe(403);
    expect(json<{ error_code: string }>(direct).error_code).toBe("TLS_REQUIRED");
  });
});

describe("operator mTLS policy", () => {
  it("MTLS_REQUIRED_FOR=acquiring_partners reports Acquiring Partners that have not enforced mTLS", async ({
    startHarness,
  }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, MTLS_REQUIRED_FOR: "acquiring_partners" });
    const partner = await onboardAcquiringPartner(h);
    const { onboardPartnerAccount, operator } = await import("./harness.ts");
    const child = await onboardPartnerAccount(h, partner, "Child");
    expect((await get(h, partner)).headers["klarna-mtls-enforcement"]).toBe("REQUIRED_NOT_ENFORCED");
    expect((await get(h, child)).headers["klarna-mtls-enforcement"]).toBeUndefined();
    const list = await h.internal.inject({ method: "GET", url: "/admin/v1/accounts", headers: operator });
    const accounts = json<{ accounts: { account_id: string; mtls_enforcement_missing: boolean }[] }>(
      list,
    ).accounts;
    expect(accounts.find((a) => a.account_id === partner.accountId)?.mtls_enforcement_missing).toBe(true);
    expect(accounts.find((a) => a.account_id === child.accountId)?.mtls_enforcement_missing).toBe(false);
  });

  it("reports nothing with MTLS_REQUIRED_FOR=none", async ({ startHarness }) => {
    const h = await startHarness({ ...BEHIND_TLS_PROXY, MTLS_REQUIRED_FOR: "none" });
    const partner = await onboardAcquiringPartner(h);
    expect((await get(h, partner)).headers["klarna-mtls-enforcement"]).toBeUndefined();
  });
});

describe("last use", () => {
  it("counts only admitted requests: one refused for its address or certificate is no use of the key", async ({
    harness: h,
    partner,
  }) => {
    const created = await h.app.inject({
      method: "POST",
      url: "/v1/account/credentials",
      headers: basic(partner.apiKey),
      payload: { type: "API", environment: "LIVE", description: "restricted" },
    });
    const key = json<{ api_key: string; credential_id: string }>(created);
    await put(h, partner, { enforcement_mode: "ENFORCED", allowed_ips: ["127.0.0.1/32"] });
    await h.usage.flush();
    h.clock.advance(60_000);
    const refused = await h.app.inject({
      method: "GET",
      url: "/v1/account",
      headers: basic(key.api_key),
      remoteAddress: "198.51.100.1",
    });
    expect(refused.statusCode).toBe(403);
    expect(h.usage.pendingCount).toBe(0);
    await h.usage.flush();
    const shown = await h.app.inject({
      method: "GET",
      url: `/v1/account/credentials/${key.credential_id}`,
      headers: basic(partner.apiKey),
    });
    expect(json(shown).last_used_at).toBeUndefined();
    expect((await get(h, { ...partner, apiKey: key.api_key })).statusCode).toBe(200);
    expect(h.usage.pendingCount).toBeGreaterThan(0);
  });
});

describe("addresses seen", () => {
  it("counts requests per address with the verdict of the list in force, shown on the Security page", async ({
    harness: h,
    partner,
  }) => {
    const from = async (address: string, times = 1) => {
      const statuses: number[] = [];
      for (let i = 0; i < times; i++) statuses.push((await get(h, partner, address)).statusCode);
      return statuses;
    };
    // NOT_ENABLED: seen, no verdict.
    expect(await from("198.51.100.1", 2)).toEqual([200, 200]);
    h.clock.advance(60_000);
    await put(h, partner, { enforcement_mode: "REPORTING", allowed_ips: ["127.0.0.1", "192.0.2.0/24"] });
    expect(await from("192.0.2.5")).toEqual([200]);
    expect(await from("203.0.113.9", 2)).toEqual([200, 200]);
    h.clock.advance(60_000);
    await put(h, partner, { enforcement_mode: "ENFORCED", allowed_ips: ["127.0.0.1", "192.0.2.0/24"] });
    // ENFORCED: the refusal is counted too.
    expect(await from("203.0.113.9")).toEqual([403]);
    expect(await from("192.0.2.5")).toEqual([200]);
    // Nothing is written per request: the flush writes the counts.
    const account = await h.services.accounts.get(partner.accountId);
    if (!account) throw new Error("no account");
    expect(await h.services.security.addressesSeen(account)).toEqual([]);
    await h.usage.flush();

    const seen = await h.services.security.addressesSeen(account);
    const byAddress = new Map(seen.map((s) => [s.address, s]));
    expect(byAddress.get("203.0.113.9")).toMatchObject({
      requests: 3,
      allowed: 0,
      denied: 3,
      allowedNow: false,
    });
    expect(byAddress.get("192.0.2.5")).toMatchObject({
      requests: 2,
      allowed: 2,
      denied: 0,
      allowedNow: true,
    });
    expect(byAddress.get("198.51.100.1")).toMatchObject({
      requests: 2,
      allowed: 0,
      denied: 0,
      allowedNow: false,
    });
    expect(byAddress.get("127.0.0.1")).toMatchObject({ allowedNow: true });
    expect(byAddress.get("203.0.113.9")?.lastSeenAt.getTime()).toBeGreaterThan(
      byAddress.get("198.51.100.1")?.lastSeenAt.getTime() ?? Number.POSITIVE_INFINITY,
    );
    // Flushed again, nothing is counted twice; another account sees none of it.
    await h.usage.flush();
    expect(await h.services.security.addressesSeen(account)).toEqual(seen);
    const other = await onboardAcquiringPartner(h, "Other Payments");
    const otherAccount = await h.services.accounts.get(other.accountId);
    if (!otherAccount) throw new Error("no account");
    expect(await h.services.security.addressesSeen(otherAccount)).toEqual([]);

    const { signedInConsoleUser } = await import("./console-account-helpers.ts");
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "o@acme.example",
      role: "owner",
    });
    const page = (await owner.get(`/console/accounts/${encodeURIComponent(partner.accountId)}/security`))
      .body;
    const rowOf = (address: string) =>
      page.match(new RegExp(`<tr><td><code>${address.replace(/\./g, "\\.")}</code></td>.*?</tr>`))?.[0] ?? "";
    expect(rowOf("203.0.113.9")).toMatch(/<td>3<\/td><td>3<\/td>.*DENIED/);
    expect(rowOf("192.0.2.5")).toMatch(/<td>2<\/td><td>0<\/td>.*ALLOWED/);
    expect(rowOf("198.51.100.1")).toMatch(
      /<td>2<\/td><td><span class="muted">no verdict<\/span><\/td>.*DENIED/,
    );
  });

  it("pruning keeps 30 days and 100 addresses per account", async ({ harness: h, partner }) => {
    for (let i = 0; i < 105; i++) {
      h.usage.noteAddress(partner.accountId, `192.0.2.${i}`, null, new Date(h.clock.now().getTime() + i));
    }
    h.usage.noteAddress(
      partner.accountId,
      "198.51.100.1",
      "DENIED",
      new Date(h.clock.now().getTime() - 31 * 86_400_000),
    );
    await h.usage.flush();
    expect(await h.usage.pruneAddressesSeen(h.clock.now())).toBe(6);
    const account = await h.services.accounts.get(partner.accountId);
    if (!account) throw new Error("no account");
    const seen = await h.services.security.addressesSeen(account, 200);
    expect(seen).toHaveLength(100);
    expect(seen[0]?.address).toBe("192.0.2.104");
    expect(seen.some((s) => s.address === "198.51.100.1" || s.address === "192.0.2.4")).toBe(false);
  });
});

describe("metrics", () => {
  it("counts requests by route and status, authentication outcomes and cache lookups", async ({
    harness: h,
    partner,
  }) => {
    await get(h, partner);
    await get(h, partner);
    await h.app.inject({ method: "GET", url: "/v1/account", headers: basic("klarna_live_api_nope") });
    const text = (await h.internal.inject({ method: "GET", url: "/metrics" })).body;
    /** Each series' value, exactly: a count, not only a series that exists. */
    const series = new Map(
      text
        .split("\n")
        .filter((line) => line !== "" && !line.startsWith("#"))
        .map((line) => [line.slice(0, line.lastIndexOf(" ")), Number(line.slice(line.lastIndexOf(" ") + 1))]),
    );
    expect(
      series.get(
        'partner_credentials_http_requests_total{listener="public",method="GET",route="/v1/account",status="200"}',
      ),
    ).toBe(2);
    expect(
      series.get(
        'partner_credentials_http_requests_total{listener="public",method="GET",route="/v1/account",status="401"}',
      ),
    ).toBe(1);
    expect(series.get('partner_credentials_authentications_total{result="VALID"}')).toBe(2);
    expect(series.get('partner_credentials_authentications_total{result="MALFORMED"}')).toBe(1);
    expect(series.get('partner_credentials_authorizations_total{entry="api",outcome="ALLOWED"}')).toBe(2);
    expect(series.get('partner_credentials_authorizations_total{entry="api",outcome="UNAUTHORIZED"}')).toBe(
      1,
    );
    // The first request reads the key from the store, the second finds it cached.
    expect(series.get('partner_credentials_verification_cache_lookups_total{result="miss"}')).toBe(1);
    expect(series.get('partner_credentials_verification_cache_lookups_total{result="hit"}')).toBe(1);
    expect(series.get("partner_credentials_invalidation_bus_up")).toBe(1);
  });
});
