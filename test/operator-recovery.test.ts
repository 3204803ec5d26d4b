import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { accountShortId } from "../src/domain/identifiers.ts";
import { it } from "./fixtures.ts";
import {
  basic,
  DAY_MS,
  type Harness,
  json,
  type OnboardedPartner,
  onboardPartnerAccount,
  operator,
} from "./harness.ts";
import { opensslKeyAndCsr } from "./openssl.ts";

/*
 * Support can undo every lock-out: a partner that revoked its last certificate under enforced
 * mTLS, or enforced an IP allow-list without its own address, and an account an operator
 * suspended. Driven as users drive it: partners on the public app, operators on the internal one.
 */

const ALICE_TOKEN = randomBytes(32).toString("base64url");
const alice = { authorization: `Bearer ${ALICE_TOKEN}` };
/** Requests come through a TLS-terminating proxy, which forwards the certificate and address. */
const PROXY = "10.0.0.2";

it.override("harnessOptions", () => {
  const file = join(mkdtempSync(join(tmpdir(), "operators-")), "operators.json");
  const entry = { name: "alice", token_sha256: createHash("sha256").update(ALICE_TOKEN).digest("hex") };
  writeFileSync(file, JSON.stringify({ operators: [entry] }));
  // The operator's mTLS policy is not what these tests are about: it stays out of their way.
  return { env: { ADMIN_TOKENS_FILE: file, TRUSTED_PROXIES: "10.0.0.0/8", MTLS_REQUIRED_FOR: "none" } };
});

interface Call {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  url?: string;
  payload?: unknown;
  certificate?: string;
  from?: string;
}

/** A partner request, through the proxy, with the key and optionally a certificate and address. */
const call = (h: Harness, apiKey: string, options: Call = {}) =>
  h.app.inject({
    method: options.method ?? "GET",
    url: options.url ?? "/v1/account",
    headers: {
      ...basic(apiKey),
      ...(options.certificate ? { "x-client-cert": encodeURIComponent(options.certificate) } : {}),
      ...(options.from ? { "x-forwarded-for": options.from } : {}),
    },
    remoteAddress: PROXY,
    ...(options.payload === undefined ? {} : { payload: options.payload as object }),
  });

const admin = (
  h: Harness,
  method: "GET" | "POST" | "DELETE",
  url: string,
  payload?: object,
  headers = alice,
) => h.internal.inject({ method, url, headers, ...(payload ? { payload } : {}) });

async function issueCertificate(
  h: Harness,
  partner: OnboardedPartner,
  base = "/v1/account",
  accountId = partner.accountId,
): Promise<{ id: string; pem: string }> {
  const { csrPem } = opensslKeyAndCsr({ commonName: accountShortId(accountId) });
  const issued = await call(h, partner.apiKey, {
    method: "POST",
    url: `${base}/client-certificates`,
    payload: { description: "payments gateway", certificate_signing_request: csrPem },
  });
  expect(issued.statusCode, issued.body).toBe(200);
  const body = json<{ certificate_id: string; certificate: string }>(issued);
  return { id: body.certificate_id, pem: body.certificate };
}

async function auditTrail(h: Harness, accountId: string) {
  return h.store.listAuditEvents({ accountId, after: null, limit: 200 });
}

describe("revoking the last valid client certificate", () => {
  it("is refused while mTLS is scheduled or enforced; forced, it locks out until an operator lifts enforcement", async ({
    harness: h,
    partner,
  }) => {
    const first = await issueCertificate(h, partner);

    // Enforcement scheduled an hour ahead: the audit trail says SCHEDULED with the date.
    const from = new Date(h.clock.now().getTime() + 3_600_000).toISOString();
    const scheduled = await call(h, partner.apiKey, {
      method: "PUT",
      url: "/v1/account/mtls-enforcement",
      payload: { enforced_from: from },
    });
    expect(json(scheduled)).toMatchObject({ status: "SCHEDULED", enforced_from: from });
    const set = (await auditTrail(h, partner.accountId)).find((e) => e.action === "mtls_enforcement.set");
    expect(set).toMatchObject({ statusBefore: "NOT_ENFORCED", statusAfter: "SCHEDULED" });
    expect(set?.reason).toContain(from);

    const refused = await call(h, partner.apiKey, {
      method: "DELETE",
      url: `/v1/account/client-certificates/${first.id}`,
    });
    expect(refused.statusCode).toBe(409);
    expect(json(refused)).toMatchObject({ error_type: "RESOURCE_ERROR", error_code: "INVALID_STATE" });
    const message = json<{ error_message: string }>(refused).error_message;
    expect(message).toContain("lock the account out");
    expect(message).toContain('"force": true');
    expect(message).toContain("?force=true");
    const kept = await call(h, partner.apiKey, { url: `/v1/account/client-certificates/${first.id}` });
    expect(json(kept)).toMatchObject({ status: "VALID" });

    // With a second certificate, the first may go; then the second is the last one.
    const second = await issueCertificate(h, partner);
    expect(
      (
        await call(h, partner.apiKey, {
          method: "DELETE",
          url: `/v1/account/client-certificates/${first.id}`,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await call(h, partner.apiKey, {
          method: "DELETE",
          url: `/v1/account/client-certificates/${second.id}`,
        })
      ).statusCode,
    ).toBe(409);

    // Enforced now, from a request with the certificate: the audit event says ENFORCED.
    const enforced = await call(h, partner.apiKey, {
      method: "PUT",
      url: "/v1/account/mtls-enforcement",
      payload: { enforced_from: "NOW" },
      certificate: second.pem,
    });
    expect(json(enforced)).toMatchObject({ status: "ENFORCED" });
    const sets = (await auditTrail(h, partner.accountId)).filter((e) => e.action === "mtls_enforcement.set");
    expect(sets[0]).toMatchObject({ statusBefore: "SCHEDULED", statusAfter: "ENFORCED" });

    // Forced through the JSON body of the DELETE: 204, and every call is refused from then on.
    const forced = await call(h, partner.apiKey, {
      method: "DELETE",
      url: `/v1/account/client-certificates/${second.id}`,
      payload: { force: true },
      certificate: second.pem,
    });
    expect(forced.statusCode).toBe(204);
    const revoked = (await auditTrail(h, partner.accountId)).find(
      (e) => e.action === "client_certificate.revoked" && e.targetId === second.id,
    );
    expect(revoked).toMatchObject({ statusBefore: "VALID", statusAfter: "REVOKED" });
    expect(revoked?.reason).toMatch(/^FORCED/);
    for (const options of [{}, { certificate: second.pem }, { url: "/v1/account/credentials" }]) {
      const locked = await call(h, partner.apiKey, options);
      expect(locked.statusCode).toBe(401);
      expect(json(locked)).toMatchObject({ error_code: "MTLS_REQUIRED" });
    }
    // The partner cannot lift it itself any more: no certificate of its own is valid.
    expect(
      (await call(h, partner.apiKey, { method: "DELETE", url: "/v1/account/mtls-enforcement" })).statusCode,
    ).toBe(401);

    // Support lifts enforcement; certificates stay as they are; the partner calls again.
    const lifted = await admin(h, "DELETE", `/admin/v1/accounts/${partner.accountId}/mtls-enforcement`);
    expect(lifted.statusCode).toBe(200);
    expect(json(lifted)).toEqual({ status: "NOT_ENFORCED", mtls_enabled: true });
    expect((await call(h, partner.apiKey)).statusCode).toBe(200);
    const certificates = json<{ client_certificates: { status: string }[] }>(
      await call(h, partner.apiKey, { url: "/v1/account/client-certificates" }),
    ).client_certificates;
    expect(certificates.map((c) => c.status)).toEqual(["REVOKED", "REVOKED"]);
    const liftEvent = (await auditTrail(h, partner.accountId)).find(
      (e) => e.action === "mtls_enforcement.lifted",
    );
    expect(liftEvent).toMatchObject({
      actor: "operator:alice",
      statusBefore: "ENFORCED",
      statusAfter: "NOT_ENFORCED",
    });

    // Lifting again changes nothing and writes nothing.
    const events = (await auditTrail(h, partner.accountId)).length;
    expect(
      json(await admin(h, "DELETE", `/admin/v1/accounts/${partner.accountId}/mtls-enforcement`)),
    ).toEqual({
      status: "NOT_ENFORCED",
      mtls_enabled: true,
    });
    expect(await auditTrail(h, partner.accountId)).toHaveLength(events);
    // Revoking a revoked certificate is still no error.
    expect(
      (
        await call(h, partner.apiKey, {
          method: "DELETE",
          url: `/v1/account/client-certificates/${second.id}`,
        })
      ).statusCode,
    ).toBe(204);
  });

  it("takes ?force=true too, guards a Partner Account's last certificate, and refuses a bad force with 400", async ({
    harness: h,
    partner,
  }) => {
    const child = await onboardPartnerAccount(h, partner, "Child Shop");
    const base = `/v1/accounts/${child.accountId}`;
    const certificate = await issueCertificate(h, partner, base, child.accountId);
    const enforce = await call(h, partner.apiKey, {
      method: "PUT",
      url: `${base}/mtls-enforcement`,
      payload: { enforced_from: "NOW" },
    });
    expect(json(enforce)).toMatchObject({ status: "ENFORCED" });
    const url = `${base}/client-certificates/${certificate.id}`;
    expect((await call(h, partner.apiKey, { method: "DELETE", url })).statusCode).toBe(409);
    expect((await call(h, partner.apiKey, { method: "DELETE", url: `${url}?force=false` })).statusCode).toBe(
      409,
    );
    for (const bad of ["?force=maybe", "?forced=true"]) {
      const response = await call(h, partner.apiKey, { method: "DELETE", url: `${url}${bad}` });
      expect(response.statusCode, bad).toBe(400);
      expect(json(response)).toMatchObject({ error_code: "VALIDATION_ERROR" });
    }
    const badBody = await call(h, partner.apiKey, { method: "DELETE", url, payload: { force: "yes" } });
    expect(badBody.statusCode).toBe(400);
    expect((await call(h, partner.apiKey, { method: "DELETE", url: `${url}?force=true` })).statusCode).toBe(
      204,
    );
    expect(json(await call(h, partner.apiKey, { url }))).toMatchObject({ status: "REVOKED" });
    // The child's own key is locked out now; the Acquiring Partner's is not.
    expect((await call(h, child.apiKey)).statusCode).toBe(401);
    expect((await call(h, partner.apiKey)).statusCode).toBe(200);
  });

  it("lets the last certificate go without force when nothing is enforced", async ({
    harness: h,
    partner,
  }) => {
    const only = await issueCertificate(h, partner);
    const revoked = await call(h, partner.apiKey, {
      method: "DELETE",
      url: `/v1/account/client-certificates/${only.id}`,
    });
    expect(revoked.statusCode).toBe(204);
    const event = (await auditTrail(h, partner.accountId)).find(
      (e) => e.action === "client_certificate.revoked",
    );
    expect(event?.reason).toBeNull();
  });
});

describe("an IP allow-list that leaves its partner out", () => {
  it("is reset by support, and the partner's calls work again", async ({ harness: h, partner }) => {
    const from = "198.51.100.7";
    const locked = await call(h, partner.apiKey, {
      method: "PUT",
      url: "/v1/account/ip-restriction",
      payload: { enforcement_mode: "ENFORCED", allowed_ips: ["203.0.113.0/24"], force: true },
      from,
    });
    expect(locked.statusCode).toBe(200);
    const refused = await call(h, partner.apiKey, { from });
    expect(refused.statusCode).toBe(403);
    expect(json(refused)).toMatchObject({ error_code: "IP_NOT_ALLOWED" });

    const reset = await admin(h, "DELETE", `/admin/v1/accounts/${partner.accountId}/ip-restriction`);
    expect(reset.statusCode).toBe(200);
    expect(json(reset)).toEqual({ enforcement_mode: "NOT_ENABLED", allowed_ips: [] });
    expect((await call(h, partner.apiKey, { from })).statusCode).toBe(200);
    const event = (await auditTrail(h, partner.accountId)).find(
      (e) => e.action === "ip_restriction.updated" && e.actor.startsWith("operator"),
    );
    expect(event).toMatchObject({
      actor: "operator:alice",
      statusBefore: "ENFORCED",
      statusAfter: "NOT_ENABLED",
    });

    // Nothing left to reset: the same answer, no second event.
    const events = (await auditTrail(h, partner.accountId)).length;
    expect(json(await admin(h, "DELETE", `/admin/v1/accounts/${partner.accountId}/ip-restriction`))).toEqual({
      enforcement_mode: "NOT_ENABLED",
      allowed_ips: [],
    });
    expect(await auditTrail(h, partner.accountId)).toHaveLength(events);
  });
});

describe("suspension", () => {
  it("refuses every key of the account at once as an ordinary 401, at every entry point; resume restores exactly the ACTIVE ones", async ({
    harness: h,
    partner,
  }) => {
    const child = await onboardPartnerAccount(h, partner, "Child Shop");
    const created = async (type: "API" | "CLIENT") =>
      json<{ api_key?: string; credential_id: string; client_id?: string }>(
        await call(h, partner.apiKey, {
          method: "POST",
          url: "/v1/account/credentials",
          payload: { type, environment: "LIVE", description: `${type} key` },
        }),
      );
    const second = await created("API");
    const disabled = await created("API");
    expect(
      (
        await call(h, partner.apiKey, {
          method: "DELETE",
          url: `/v1/account/credentials/${disabled.credential_id}`,
        })
      ).statusCode,
    ).toBe(204);
    const clientId = await created("CLIENT");
    await call(h, partner.apiKey, {
      method: "POST",
      url: "/v1/account/allowed-origins",
      payload: { origin: "shop.example" },
    });
    const service = json<{ token: string }>(
      await h.internal.inject({
        method: "POST",
        url: "/admin/v1/service-tokens",
        headers: operator,
        payload: { name: "edge" },
      }),
    ).token;
    const forwardAuth = (apiKey: string) =>
      h.internal.inject({
        method: "GET",
        url: "/internal/v1/authorize",
        headers: { "x-service-token": service, ...basic(apiKey) },
      });
    const session = () =>
      h.app.inject({
        method: "POST",
        url: "/v1/client/sessions",
        headers: { origin: "https://shop.example", "content-type": "application/json" },
        payload: { client_id: clientId.client_id },
      });
    expect((await call(h, second.api_key ?? "")).statusCode).toBe(200);
    expect((await forwardAuth(partner.apiKey)).statusCode).toBe(200);
    expect((await session()).statusCode).toBeLessThan(300);
    const unknownKey = await call(
      h,
      `${partner.apiKey.slice(0, 20)}${"x".repeat(partner.apiKey.length - 20)}`,
    );

    const suspended = await admin(h, "POST", `/admin/v1/accounts/${partner.accountId}/suspend`, {
      reason: "chargeback investigation",
    });
    expect(suspended.statusCode).toBe(200);
    const body = json<{ suspended_at: string }>(suspended);
    expect(body).toMatchObject({
      account_id: partner.accountId,
      status: "SUSPENDED",
      suspended_reason: "chargeback investigation",
      changed: true,
    });

    for (const apiKey of [partner.apiKey, second.api_key ?? ""]) {
      const refused = await call(h, apiKey);
      expect(refused.statusCode).toBe(401);
      // Nothing tells a suspended account's key from a wrong one.
      expect(json(refused)).toMatchObject({
        error_type: "ACCESS_ERROR",
        error_code: "UNAUTHORIZED",
        error_message: json<{ error_message: string }>(unknownKey).error_message,
      });
      expect((await forwardAuth(apiKey)).statusCode).toBe(401);
    }
    expect((await session()).statusCode).toBe(401);
    // Another account, even the suspended one's Partner Account, is not touched.
    expect((await call(h, child.apiKey)).statusCode).toBe(200);

    // Suspending again changes nothing: the first time and reason stay.
    const again = await admin(h, "POST", `/admin/v1/accounts/${partner.accountId}/suspend`, {
      reason: "other",
    });
    expect(json(again)).toMatchObject({
      status: "SUSPENDED",
      suspended_at: body.suspended_at,
      suspended_reason: "chargeback investigation",
      changed: false,
    });
    const shown = json(await admin(h, "GET", `/admin/v1/accounts/${partner.accountId}`));
    expect(shown).toMatchObject({ status: "SUSPENDED", suspended_at: body.suspended_at });

    const resumed = await admin(h, "POST", `/admin/v1/accounts/${partner.accountId}/resume`);
    expect(json(resumed)).toEqual({ account_id: partner.accountId, status: "ACTIVE", changed: true });
    expect((await call(h, partner.apiKey)).statusCode).toBe(200);
    expect((await call(h, second.api_key ?? "")).statusCode).toBe(200);
    expect((await forwardAuth(partner.apiKey)).statusCode).toBe(200);
    expect((await session()).statusCode).toBeLessThan(300);
    // The key that was DISABLED before stays DISABLED.
    expect((await call(h, disabled.api_key ?? "")).statusCode).toBe(401);
    const statuses = json<{ credentials: { credential_id: string; status: string }[] }>(
      await admin(h, "GET", `/admin/v1/accounts/${partner.accountId}/credentials`),
    ).credentials;
    expect(statuses.find((c) => c.credential_id === disabled.credential_id)?.status).toBe("DISABLED");
    expect(statuses.filter((c) => c.status === "ACTIVE")).toHaveLength(3);
    expect(json(await admin(h, "POST", `/admin/v1/accounts/${partner.accountId}/resume`))).toMatchObject({
      status: "ACTIVE",
      changed: false,
    });

    const trail = await auditTrail(h, partner.accountId);
    expect(trail.filter((e) => e.action === "account.suspended")).toEqual([
      expect.objectContaining({
        actor: "operator:alice",
        statusBefore: "ACTIVE",
        statusAfter: "SUSPENDED",
        reason: "chargeback investigation",
      }),
    ]);
    expect(trail.filter((e) => e.action === "account.resumed")).toEqual([
      expect.objectContaining({ actor: "operator:alice", statusAfter: "ACTIVE" }),
    ]);
    // The partner reads who did it in its own trail.
    const seen = json<{ audit_events: { action: string; actor: string }[] }>(
      await call(h, partner.apiKey, { url: "/v1/account/audit-events" }),
    ).audit_events;
    expect(seen.find((e) => e.action === "account.suspended")?.actor).toBe("operator:alice");
  });

  it("refuses a reason holding a key, and answers 404 for an unknown account and 401 without an operator token", async ({
    harness: h,
    partner,
  }) => {
    const withKey = await admin(h, "POST", `/admin/v1/accounts/${partner.accountId}/suspend`, {
      reason: `leaked ${partner.apiKey}`,
    });
    expect(withKey.statusCode).toBe(400);
    expect(json(await admin(h, "GET", `/admin/v1/accounts/${partner.accountId}`))).toMatchObject({
      status: "ACTIVE",
    });
    const unknown = "krn:partner:global:account:live:ZZZZ9999";
    for (const [method, url] of [
      ["GET", `/admin/v1/accounts/${unknown}`],
      ["GET", `/admin/v1/accounts/${unknown}/credentials`],
      ["DELETE", `/admin/v1/accounts/${unknown}/mtls-enforcement`],
      ["DELETE", `/admin/v1/accounts/${unknown}/ip-restriction`],
      ["POST", `/admin/v1/accounts/${unknown}/suspend`],
      ["POST", `/admin/v1/accounts/${unknown}/resume`],
    ] as const) {
      expect((await admin(h, method, url)).statusCode, `${method} ${url}`).toBe(404);
      const anonymous = await h.internal.inject({ method, url: url.replace(unknown, partner.accountId) });
      expect(anonymous.statusCode, `${method} ${url} without a token`).toBe(401);
    }
    // The shared token works too, audited as plain "operator".
    await admin(h, "POST", `/admin/v1/accounts/${partner.accountId}/suspend`, undefined, operator);
    expect(
      (await auditTrail(h, partner.accountId)).find((e) => e.action === "account.suspended")?.actor,
    ).toBe("operator");
  });
});

describe("partnerctl admin accounts show and credentials list, over the admin API", () => {
  it("shows suspension, mTLS, IP list, effective limits and credential counts; lists every credential, DELETED ones too", async ({
    harness: h,
    partner,
  }) => {
    await issueCertificate(h, partner);
    await call(h, partner.apiKey, {
      method: "PUT",
      url: "/v1/account/ip-restriction",
      payload: { enforcement_mode: "REPORTING", allowed_ips: ["10.0.0.0/8"] },
    });
    await h.internal.inject({
      method: "PUT",
      url: `/admin/v1/accounts/${partner.accountId}/rate-limits`,
      headers: alice,
      payload: { limits: { PARTNER_MANAGEMENT: "70/1s" } },
    });
    const doomed = json<{ credential_id: string }>(
      await call(h, partner.apiKey, {
        method: "POST",
        url: "/v1/account/credentials",
        payload: { type: "API", environment: "TEST", description: "old batch job" },
      }),
    );
    await call(h, partner.apiKey, {
      method: "DELETE",
      url: `/v1/account/credentials/${doomed.credential_id}`,
    });
    // 301 days later the disabled key is deleted; the initial key, used then, stays.
    h.clock.advance(301 * DAY_MS);
    expect((await call(h, partner.apiKey)).statusCode).toBe(200);
    await h.usage.flush();
    await h.lifecycle.sweep({ asOf: h.clock.now() });
    const from = new Date(h.clock.now().getTime() + DAY_MS).toISOString();
    const fresh = await issueCertificate(h, partner);
    await call(h, partner.apiKey, {
      method: "PUT",
      url: "/v1/account/mtls-enforcement",
      payload: { enforced_from: from },
      certificate: fresh.pem,
    });

    const shown = await admin(h, "GET", `/admin/v1/accounts/${partner.accountId}`);
    expect(shown.statusCode).toBe(200);
    expect(json(shown)).toMatchObject({
      account_id: partner.accountId,
      name: "Acme Payments",
      type: "ACQUIRING_PARTNER",
      environment: "LIVE",
      created_by: "operator",
      status: "ACTIVE",
      mtls: {
        enabled: true,
        status: "SCHEDULED",
        enforced_from: from,
        enforced_now: false,
        scheduled: true,
        valid_certificates: 2,
      },
      ip_restriction: { enforcement_mode: "REPORTING", allowed_ips: ["10.0.0.0/8"] },
      rate_limits: {
        PARTNER_MANAGEMENT: { limit: "70/1s", source: "override" },
        CLIENT_SESSIONS: { source: "default" },
      },
      credentials: { ACTIVE: 1, DISABLED: 0, DELETED: 1 },
    });
    expect(json(shown)).not.toHaveProperty("parent_account_id");

    const listed = json<{ credentials: { credential_id: string; status: string; disabled_at?: string }[] }>(
      await admin(h, "GET", `/admin/v1/accounts/${partner.accountId}/credentials`),
    ).credentials;
    expect(listed.map((c) => [c.credential_id, c.status])).toEqual([
      [doomed.credential_id, "DELETED"],
      [partner.credentialId, "ACTIVE"],
    ]);
    const onlyDeleted = json<{ credentials: unknown[] }>(
      await admin(h, "GET", `/admin/v1/accounts/${partner.accountId}/credentials?status=DELETED&page_size=1`),
    );
    expect(onlyDeleted.credentials).toHaveLength(1);
    // The partner's own list leaves tombstones out, as before.
    const own = json<{ credentials: unknown[] }>(
      await call(h, partner.apiKey, { url: "/v1/account/credentials" }),
    );
    expect(own.credentials).toHaveLength(1);
  });
});
