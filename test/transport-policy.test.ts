import { X509Certificate } from "node:crypto";
import { describe, expect } from "vitest";
import { accountShortId } from "../src/domain/identifiers.ts";
import { it } from "./fixtures.ts";
import { basic, DAY_MS, json, onboardAcquiringPartner, onboardPartnerAccount, operator } from "./harness.ts";
import { opensslKeyAndCsr } from "./openssl.ts";

describe("plain HTTP", () => {
  it("refuses credentials from anywhere but loopback, before reading the key", async ({
    harness: h,
    partner,
  }) => {
    const remote = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: basic(partner.apiKey),
      remoteAddress: "198.51.100.7",
    });
    expect(remote.statusCode).toBe(403);
    expect(json(remote)).toMatchObject({
      error_type: "ACCESS_ERROR",
      error_code: "TLS_REQUIRED",
      doc_url: "https://partners.example/guide#quick-start",
    });
    // Not a use of the key, not a failed authentication: the key was never looked at.
    expect(h.usage.pendingCount).toBe(0);
    const wrongKey = await h.app.inject({
      method: "GET",
      url: "/v1/account",
      headers: basic(`${partner.apiKey.slice(0, -2)}xx`),
      remoteAddress: "198.51.100.7",
    });
    expect(json(wrongKey).error_code).toBe("TLS_REQUIRED");
    const events = await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 50 });
    expect(events.filter((e) => e.action === "credential.authentication_failed")).toHaveLength(0);

    for (const [method, url] of [
      ["GET", "/v2/account/integration/credentials/api-key"],
      ["GET", "/onboarding/anything"],
      ["POST", "/v1/client/sessions"],
    ] as const) {
      const refused = await h.app.inject({ method, url, remoteAddress: "2001:db8::7" });
      expect(refused.statusCode, url).toBe(403);
      expect(json(refused).error_code).toBe("TLS_REQUIRED");
    }
    // Health and the documentation carry no credentials.
    expect(
      (await h.app.inject({ method: "GET", url: "/healthz", remoteAddress: "198.51.100.7" })).statusCode,
    ).toBe(200);
    expect(
      (await h.app.inject({ method: "GET", url: "/guide", remoteAddress: "198.51.100.7" })).statusCode,
    ).toBe(200);

    for (const remoteAddress of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) {
      const local = await h.app.inject({
        method: "GET",
        url: "/v1/account",
        headers: basic(partner.apiKey),
        remoteAddress,
      });
      expect(local.statusCode, remoteAddress).toBe(200);
    }
  });

  it("believes a trusted proxy that terminated TLS, unless it says the client used plain HTTP", async ({
    startHarness,
  }) => {
    const h = await startHarness({ TRUSTED_PROXIES: "10.0.0.1" });
    const partner = await onboardAcquiringPartner(h);
    const via = (remoteAddress: string, headers: Record<string, string> = {}) =>
      h.app.inject({
        method: "GET",
        url: "/v1/account",
        headers: { ...basic(partner.apiKey), ...headers },
        remoteAddress,
      });
    expect((await via("10.0.0.1")).statusCode).toBe(200);
    expect((await via("10.0.0.1", { "x-forwarded-proto": "https" })).statusCode).toBe(200);
    expect((await via("10.0.0.1", { "x-forwarded-proto": "http" })).statusCode).toBe(403);
    expect((await via("10.0.0.2", { "x-forwarded-proto": "https" })).statusCode).toBe(403);
  });
});

describe("mTLS required of Acquiring Partners", () => {
  it("reports the deadline in the grace period, then refuses all but the set-up endpoints until enforced", async ({
    startHarness,
  }) => {
    const h = await startHarness({ TRUSTED_PROXIES: "10.0.0.1", CLIENT_CERT_HEADER: "x-ssl-client-cert" });
    const partner = await onboardAcquiringPartner(h);
    const child = await onboardPartnerAccount(h, partner, "Child");
    const call = (
      url: string,
      options: { method?: "GET" | "POST" | "PUT"; payload?: object; cert?: string } = {},
    ) =>
      h.app.inject({
        method: options.method ?? "GET",
        url,
        headers: {
          ...basic(partner.apiKey),
          ...(options.cert ? { "x-ssl-client-cert": encodeURIComponent(options.cert) } : {}),
        },
        remoteAddress: options.cert ? "10.0.0.1" : "127.0.0.1",
        ...(options.payload ? { payload: options.payload } : {}),
      });

    const account = await call("/v1/account");
    const deadline = new Date(Date.parse(json<{ created_at: string }>(account).created_at) + 90 * DAY_MS);
    expect(account.headers["klarna-mtls-enforcement"]).toBe("REQUIRED_NOT_ENFORCED");
    expect(account.headers["klarna-mtls-enforcement-deadline"]).toBe(deadline.toISOString());
    const childCall = () =>
      h.app.inject({ method: "GET", url: "/v1/account/credentials", headers: basic(child.apiKey) });
    expect((await childCall()).headers["klarna-mtls-enforcement"]).toBeUndefined();

    h.clock.advance(90 * DAY_MS);
    const refused = await call("/v1/account/credentials");
    expect(refused.statusCode).toBe(401);
    expect(json(refused)).toMatchObject({
      error_type: "ACCESS_ERROR",
      error_code: "MTLS_REQUIRED",
      doc_url: "https://partners.example/guide#mtls-and-ip-allow-lists",
    });
    expect(json(refused).error_message).toContain(deadline.toISOString());
    expect((await call("/v2/account/integration/credentials/api-key")).statusCode).toBe(401);
    expect((await childCall()).statusCode).toBe(200);
    // The provider's APIs refuse it too: forward-auth makes the same decision.
    const token = json<{ token: string }>(
      await h.internal.inject({
        method: "POST",
        url: "/admin/v1/service-tokens",
        headers: operator,
        payload: { name: "payments-edge" },
      }),
    ).token;
    const forwardAuth = (apiKey: string) =>
      h.internal.inject({
        method: "GET",
        url: "/internal/v1/authorize",
        headers: { "x-service-token": token, authorization: `Basic ${apiKey}` },
      });
    const edgeRefusal = await forwardAuth(partner.apiKey);
    expect(edgeRefusal.statusCode).toBe(401);
    expect(json(edgeRefusal).error_code).toBe("MTLS_REQUIRED");
    expect((await forwardAuth(child.apiKey)).statusCode).toBe(200);

    // What it takes to set mTLS up stays open: the account, the CA, certificates, enforcement.
    expect((await call("/v1/account")).statusCode).toBe(200);
    const caResponse = await call("/v1/account/client-certificates/ca");
    expect(caResponse.statusCode).toBe(200);
    expect(caResponse.headers["content-type"]).toBe("application/x-pem-file");
    const ca = new X509Certificate(caResponse.body);
    expect(ca.ca).toBe(true);
    const { csrPem, keyPem } = opensslKeyAndCsr({ commonName: accountShortId(partner.accountId) });
    expect(keyPem).toContain("PRIVATE KEY");
    const issued = await call("/v1/account/client-certificates", {
      method: "POST",
      payload: { certificate_signing_request: csrPem },
    });
    expect(issued.statusCode).toBe(200);
    const certPem = json<{ certificate: string }>(issued).certificate;
    const cert = new X509Certificate(certPem);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect((await call("/v1/account/credentials", { cert: certPem })).statusCode).toBe(401);

    const enforced = await call("/v1/account/mtls-enforcement", {
      method: "PUT",
      payload: { enforced_from: "NOW" },
      cert: certPem,
    });
    expect(enforced.statusCode).toBe(200);
    const served = await call("/v1/account/credentials", { cert: certPem });
    expect(served.statusCode).toBe(200);
    expect(served.headers["klarna-mtls-verification-status"]).toBe("VALID");
    expect(served.headers["klarna-mtls-enforcement"]).toBeUndefined();
    expect(served.headers["klarna-mtls-enforcement-deadline"]).toBeUndefined();
    expect((await call("/v1/account/credentials")).statusCode).toBe(401);
  });

  it("follows MTLS_GRACE_PERIOD, and MTLS_REQUIRED_FOR=none turns the requirement off", async ({
    startHarness,
  }) => {
    let h = await startHarness({ MTLS_GRACE_PERIOD: "P7D" });
    let partner = await onboardAcquiringPartner(h);
    const get = () =>
      h.app.inject({ method: "GET", url: "/v1/account/credentials", headers: basic(partner.apiKey) });
    expect((await get()).headers["klarna-mtls-enforcement-deadline"]).toBe(
      new Date(h.clock.now().getTime() + 7 * DAY_MS).toISOString(),
    );
    h.clock.advance(7 * DAY_MS - 1);
    expect((await get()).statusCode).toBe(200);
    h.clock.advance(1);
    expect((await get()).statusCode).toBe(401);
    await h.close();

    h = await startHarness({ MTLS_REQUIRED_FOR: "none" });
    partner = await onboardAcquiringPartner(h);
    h.clock.advance(365 * DAY_MS);
    const free = await h.app.inject({
      method: "GET",
      url: "/v1/account/credentials",
      headers: basic(partner.apiKey),
    });
    expect(free.statusCode).toBe(200);
    expect(free.headers["klarna-mtls-enforcement"]).toBeUndefined();
  });
});
