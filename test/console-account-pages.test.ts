import { describe, expect } from "vitest";
import { auditCsv, csvCell } from "../src/http/console/audit-csv.ts";
import { pathSegment } from "../src/http/console/forms.ts";
import { escapeHtml } from "../src/http/console/html.ts";
import { signedInConsoleOperator, signedInConsoleUser, textOf } from "./console-account-helpers.ts";
import type { ConsoleClient } from "./console-client.ts";
import { it } from "./fixtures.ts";
import {
  basic,
  type Harness,
  json,
  type OnboardedPartner,
  onboardAcquiringPartner,
  onboardPartnerAccount,
  operator,
} from "./harness.ts";
import { opensslKeyAndCsr } from "./openssl.ts";

const pages = (partner: OnboardedPartner) => `/console/accounts/${pathSegment(partner.accountId)}`;

/** Generates an API key on the keys page; answers its id and key as the page shows them once. */
async function generateKey(
  browser: ConsoleClient,
  partner: OnboardedPartner,
  description = "checkout service",
): Promise<{ credentialId: string; apiKey: string; page: string }> {
  await browser.get(`${pages(partner)}/keys`);
  const made = await browser.post(`${pages(partner)}/keys`, { description, environment: "LIVE" });
  expect(made.statusCode, made.body).toBe(200);
  const apiKey = textOf(made.body, "new-api-key");
  const credentialId = /Key <code>([0-9a-f-]{36})<\/code>/.exec(made.body)?.[1];
  if (!apiKey || !credentialId) throw new Error(made.body);
  return { credentialId, apiKey, page: made.body };
}

async function callApi(h: Harness, apiKey: string): Promise<number> {
  return (await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(apiKey) })).statusCode;
}

async function credentialOf(
  h: Harness,
  partner: OnboardedPartner,
  id: string,
): Promise<Record<string, unknown>> {
  return json(
    await h.app.inject({
      method: "GET",
      url: `/v1/account/credentials/${id}`,
      headers: basic(partner.apiKey),
    }),
  );
}

describe("console account pages: API keys", () => {
  it("generates a key shown once, with copy and .txt download, that the API accepts; its last use shows", async ({
    harness: h,
    partner,
  }) => {
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "owner@acme.example",
      role: "owner",
    });
    const { credentialId, apiKey, page } = await generateKey(owner, partner);
    expect(page).toContain('data-copy="new-api-key"');
    expect(page).toMatch(/<a class="button" download="klarna-api-key-[^"]+\.txt" href="data:text\/plain/);
    expect(page.match(/<h1>/g)).toHaveLength(1);
    expect(page).not.toMatch(/style=|<script>/);
    expect(await callApi(h, apiKey)).toBe(200);
    await h.usage.flush();
    const list = await owner.get(`${pages(partner)}/keys`);
    expect(list.statusCode).toBe(200);
    const row = new RegExp(`<tr id="key-${credentialId}">[\\s\\S]*?</tr>`).exec(list.body)?.[0] ?? "";
    expect(row).toContain("checkout service");
    expect(row).toContain("user:owner@acme.example");
    expect(row).not.toContain(">never<");
    // The key itself is never listed again.
    expect(list.body).not.toContain(apiKey);
    expect(await credentialOf(h, partner, credentialId)).toMatchObject({
      created_by: "user:owner@acme.example",
    });
  });

  it("filters the list by status and environment", async ({ harness: h, partner }) => {
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "o@acme.example",
      role: "owner",
    });
    const { credentialId } = await generateKey(owner, partner);
    await owner.post(`${pages(partner)}/keys/${credentialId}/disable`);
    const disabled = await owner.get(`${pages(partner)}/keys?status=DISABLED&environment=`);
    expect(disabled.body).toContain(`key-${credentialId}`);
    expect(disabled.body).not.toContain(`key-${partner.credentialId}`);
    const test = await owner.get(`${pages(partner)}/keys?environment=TEST`);
    expect(test.body).toContain("No API keys match.");
    const wrong = await owner.get(`${pages(partner)}/keys?status=GONE`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("Invalid request: check status");
  });

  it("disables, enables and rotates a key, and edits its description, through the API's services", async ({
    harness: h,
    partner,
  }) => {
    const dev = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "dev@acme.example",
      role: "developer",
    });
    const { credentialId, apiKey } = await generateKey(dev, partner);
    const key = `${pages(partner)}/keys/${credentialId}`;

    const disabled = await dev.post(`${key}/disable`);
    expect(disabled.statusCode).toBe(303);
    expect(disabled.headers.location).toBe(`${pages(partner)}/keys?done=disabled`);
    expect(await callApi(h, apiKey)).toBe(401);
    expect(await credentialOf(h, partner, credentialId)).toMatchObject({
      status: "DISABLED",
      status_reason: "PARTNER",
    });
    expect((await dev.get(disabled.headers.location as string)).body).toContain("The key is disabled");

    expect((await dev.post(`${key}/enable`)).statusCode).toBe(303);
    expect(await callApi(h, apiKey)).toBe(200);

    await dev.get(`${pages(partner)}/keys`);
    expect((await dev.post(`${key}/description`, { description: "checkout, eu-west" })).statusCode).toBe(303);
    expect(await credentialOf(h, partner, credentialId)).toMatchObject({ description: "checkout, eu-west" });
    const holdsKey = await dev.post(`${key}/description`, { description: `old ${apiKey}` });
    expect(holdsKey.statusCode).toBe(400);
    expect(holdsKey.body).toContain("Invalid description: must not contain an API key or Client ID");
    expect(holdsKey.body).toContain(`<details open>`);

    const rotated = await dev.post(`${key}/rotate`, { overlap: "PT1H", end_overlap: "AT_EXPIRY" });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const successor = textOf(rotated.body, "new-api-key") ?? "";
    expect(successor).not.toBe(apiKey);
    expect(rotated.body).toContain("The old key");
    expect(rotated.body).toContain(credentialId);
    expect(await callApi(h, successor)).toBe(200);
    expect(await callApi(h, apiKey)).toBe(200); // within the overlap
    expect(await credentialOf(h, partner, credentialId)).toMatchObject({ status: "ACTIVE" });
    const again = await dev.post(`${key}/rotate`, { overlap: "PT1H" });
    expect(again.statusCode).toBe(409);
    const badOverlap = await dev.post(`${pages(partner)}/keys/${partner.credentialId}/rotate`, {
      overlap: "P31D",
    });
    expect(badOverlap.statusCode).toBe(400);
    expect(badOverlap.body).toContain("Invalid overlap: must be at most P30D");
  });

  it("shows a viewer the list without buttons, and refuses a viewer's forged POST with 403", async ({
    harness: h,
    partner,
  }) => {
    const viewer = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "v@acme.example",
      role: "viewer",
    });
    const list = await viewer.get(`${pages(partner)}/keys`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(partner.credentialId);
    for (const button of ["Disable", "Enable", "Rotate", "Edit description", "Generate new API key"]) {
      expect(list.body).not.toContain(`>${button}<`);
    }
    const forged = await viewer.post(`${pages(partner)}/keys/${partner.credentialId}/disable`);
    expect(forged.statusCode).toBe(403);
    expect(await callApi(h, partner.apiKey)).toBe(200);
    expect((await viewer.post(`${pages(partner)}/keys`, { environment: "LIVE" })).statusCode).toBe(403);
    for (const section of ["clients", "security", "audit", "webhooks"]) {
      const page = await viewer.get(`${pages(partner)}/${section}`);
      expect(page.statusCode, section).toBe(200);
      expect(page.body.match(/<h1>/g), section).toHaveLength(1);
      expect(page.body, section).not.toMatch(/<form method="post" action="\/console\/accounts/);
    }
  });

  it("refuses a POST without the form's CSRF token", async ({ harness: h, partner }) => {
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "o@acme.example",
      role: "owner",
    });
    await owner.get(`${pages(partner)}/keys`);
    const forged = await owner.post(`${pages(partner)}/keys`, { environment: "LIVE" }, { csrf: false });
    expect(forged.statusCode).toBe(403);
  });

  it("answers 404 for an account the user may not see", async ({ harness: h, partner }) => {
    const other = await onboardAcquiringPartner(h, "Other Payments");
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "o@acme.example",
      role: "owner",
    });
    expect((await owner.get(`${pages(other)}/keys`)).statusCode).toBe(404);
  });
});

async function setSuspended(h: Harness, accountId: string, suspended: boolean): Promise<void> {
  const changed = await h.internal.inject({
    method: "POST",
    url: `/admin/v1/accounts/${accountId}/${suspended ? "suspend" : "resume"}`,
    headers: operator,
  });
  expect(changed.statusCode, changed.body).toBe(200);
}

describe("console account pages: suspension and the API's budget", () => {
  it("refuses a suspended account's users every page with the API's error; operators keep access", async ({
    harness: h,
    partner,
  }) => {
    const child = await onboardPartnerAccount(h, partner, "Child Shop");
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "owner@acme.example",
      role: "owner",
    });
    const childOwner = await signedInConsoleUser(h, {
      accountId: child.accountId,
      email: "owner@child.example",
      role: "owner",
    });
    await owner.get(`${pages(partner)}/keys`);
    await setSuspended(h, partner.accountId, true);

    const fromApi = await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(partner.apiKey) });
    expect(fromApi.statusCode).toBe(401);
    const message = escapeHtml(json<{ error_message: string }>(fromApi).error_message);
    const refused = [
      await owner.get(`${pages(partner)}/keys`),
      await owner.get(`${pages(partner)}/security`),
      await owner.post(`${pages(partner)}/keys`, { description: "while suspended", environment: "LIVE" }),
      await owner.post(`${pages(partner)}/security/ip-restriction`, {
        enforcement_mode: "REPORTING",
        allowed_ips: "192.0.2.0/24",
      }),
      // Nor through the Partner Accounts it manages, as its keys cannot.
      await owner.get(`${pages(child)}/keys`),
      await owner.post(`${pages(child)}/keys`, { description: "while suspended", environment: "LIVE" }),
    ];
    for (const page of refused) {
      expect(page.statusCode).toBe(401);
      expect(page.headers["content-type"]).toContain("text/html");
      expect(page.body).toContain(message);
    }
    // Each account is suspended on its own: the Partner Account's users go on, as its keys do.
    expect((await childOwner.get(`${pages(child)}/keys`)).statusCode).toBe(200);
    expect(await callApi(h, child.apiKey)).toBe(200);

    // Operators keep full access: that is how they resume.
    const op = await signedInConsoleOperator(h, "alice@operator.example");
    expect((await op.get(`${pages(partner)}/keys`)).statusCode).toBe(200);
    await op.get(`/console/operator/accounts/${partner.accountId}`);
    expect((await op.post(`/console/operator/accounts/${partner.accountId}/resume`)).statusCode).toBe(303);
    expect((await owner.get(`${pages(partner)}/keys`)).statusCode).toBe(200);
    const keys = json<{ credentials: unknown[] }>(
      await h.app.inject({ method: "GET", url: "/v1/account/credentials", headers: basic(partner.apiKey) }),
    );
    expect(keys.credentials).toHaveLength(1);

    // A suspended Partner Account stays in its Acquiring Partner's reach, through the API as here.
    await setSuspended(h, child.accountId, true);
    expect(
      (
        await h.app.inject({
          method: "GET",
          url: `/v1/accounts/${child.accountId}/credentials`,
          headers: basic(partner.apiKey),
        })
      ).statusCode,
    ).toBe(200);
    expect((await owner.get(`${pages(child)}/keys`)).statusCode).toBe(200);
    expect((await childOwner.get(`${pages(child)}/keys`)).statusCode).toBe(401);
  });

  it("counts each change against the account's PARTNER_MANAGEMENT budget, shared with the API", async ({
    startHarness,
  }) => {
    const h = await startHarness({ RATE_LIMIT_PARTNER_MANAGEMENT: "4/1m" });
    const partner = await onboardAcquiringPartner(h);
    const dev = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "dev@acme.example",
      role: "developer",
    });
    const edit = `${pages(partner)}/keys/${partner.credentialId}/description`;
    await dev.get(`${pages(partner)}/keys`);
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await dev.post(edit, { description: `edit ${i}` })).statusCode);
    expect(answers.filter((status) => status === 303).length).toBeLessThanOrEqual(4);
    expect(answers.at(-1)).toBe(429);
    const limited = await dev.post(edit, { description: "one more" });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["content-type"]).toContain("text/html");
    expect(limited.headers["retry-after"]).toBeDefined();
    expect(limited.body).toContain("Too many requests for this account");
    // The API sees the same budget spent; reading pages does not spend it.
    expect(await callApi(h, partner.apiKey)).toBe(429);
    expect((await dev.get(`${pages(partner)}/keys`)).statusCode).toBe(200);
    // Operators are not counted.
    const op = await signedInConsoleOperator(h, "alice@operator.example");
    await op.get(`/console/operator/accounts/${partner.accountId}`);
    expect(
      (await op.post(`/console/operator/accounts/${partner.accountId}/ip-restriction/reset`)).statusCode,
    ).toBe(303);
  });
});

describe("console account pages: Client IDs and origins", () => {
  it("creates a Client ID to copy, adds and removes origins with the API's validation", async ({
    harness: h,
    partner,
  }) => {
    const dev = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "dev@acme.example",
      role: "developer",
    });
    const clients = `${pages(partner)}/clients`;
    await dev.get(clients);
    expect((await dev.post(clients, { description: "web shop", environment: "TEST" })).statusCode).toBe(303);
    const page = await dev.get(clients);
    const clientId = /<code id="client-id-[^"]+">([^<]+)<\/code>/.exec(page.body)?.[1];
    expect(clientId).toMatch(/^klarna_test_client_/);
    expect(page.body).toMatch(/data-copy="client-id-/);

    expect((await dev.post(`${clients}/origins`, { origin: "shop.example.com" })).statusCode).toBe(303);
    const api = await h.app.inject({
      method: "POST",
      url: "/v1/account/allowed-origins",
      headers: basic(partner.apiKey),
      payload: { origin: "https://shop.example.com/cart" },
    });
    const refused = await dev.post(`${clients}/origins`, { origin: "https://shop.example.com/cart" });
    expect(refused.statusCode).toBe(api.statusCode);
    expect(refused.body).toContain(
      json<{ error_message: string }>(api).error_message.replace(/"/g, "&quot;"),
    );
    expect(refused.body).toContain('value="https://shop.example.com/cart"');

    const listed = await dev.get(clients);
    expect(listed.body).toContain("https://shop.example.com");
    const originId = /clients\/origins\/([0-9a-f-]{36})\/remove/.exec(listed.body)?.[1];
    expect((await dev.post(`${clients}/origins/${originId}/remove`)).statusCode).toBe(303);
    expect((await dev.get(clients)).body).not.toContain("https://shop.example.com");
  });
});

describe("console account pages: security", () => {
  it("signs a pasted CSR, downloads the certificate and the CA, and keeps the lock-out guard", async ({
    harness: h,
    partner,
  }) => {
    const dev = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "dev@acme.example",
      role: "developer",
    });
    const security = `${pages(partner)}/security`;
    const first = await dev.get(security);
    expect(first.body).toContain("openssl req -new");
    const shortId = partner.accountId.slice(partner.accountId.lastIndexOf(":") + 1);
    const { csrPem } = opensslKeyAndCsr({ commonName: shortId });
    const issued = await dev.post(`${security}/certificates`, { description: "gateway", csr: csrPem });
    expect(issued.statusCode, issued.body).toBe(303);
    const page = await dev.get(issued.headers.location as string);
    const certificateId = /certificates\/([0-9a-f-]{36})\/certificate\.pem/.exec(page.body)?.[1];
    const pem = await dev.get(`${security}/certificates/${certificateId}/certificate.pem`);
    expect(pem.statusCode).toBe(200);
    expect(pem.headers["content-disposition"]).toContain("attachment");
    expect(pem.body).toContain("-----BEGIN CERTIFICATE-----");
    const ca = await dev.get(`${security}/ca.pem`);
    const apiCa = await h.app.inject({
      method: "GET",
      url: "/v1/account/client-certificates/ca",
      headers: basic(partner.apiKey),
    });
    expect(ca.body).toBe(apiCa.body);

    const bad = await dev.post(`${security}/certificates`, { csr: "not a csr" });
    expect(bad.statusCode).toBe(400);

    // Enforcing at once from the console: the request presents no certificate, so the guard refuses.
    const now = await dev.post(`${security}/mtls`, { enforced_from: "NOW" });
    expect(now.statusCode).toBe(409);
    expect(now.body).toContain("This request presents no valid client certificate");
    const later = new Date(h.clock.now().getTime() + 86_400_000).toISOString();
    expect((await dev.post(`${security}/mtls`, { enforced_from: later })).statusCode).toBe(303);
    const revoke = await dev.post(`${security}/certificates/${certificateId}/revoke`);
    expect(revoke.statusCode).toBe(409);
    expect(revoke.body).toContain("revoking it would lock the account out");
    expect(revoke.body).toContain("Revoke anyway");
    expect((await dev.post(`${security}/mtls/lift`)).statusCode).toBe(303);
    expect((await dev.post(`${security}/certificates/${certificateId}/revoke`)).statusCode).toBe(303);
  });

  it("sets the IP allow-list, refusing to lock the console's address out unless forced", async ({
    harness: h,
    partner,
  }) => {
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "o@acme.example",
      role: "owner",
    });
    const ip = `${pages(partner)}/security/ip-restriction`;
    await owner.get(`${pages(partner)}/security`);
    const locked = await owner.post(ip, { enforcement_mode: "ENFORCED", allowed_ips: "192.0.2.0/24" });
    expect(locked.statusCode).toBe(409);
    expect(locked.body).toContain("enforcing would lock you out");
    const bad = await owner.post(ip, {
      enforcement_mode: "REPORTING",
      allowed_ips: "192.0.2.0/24\nnot-an-ip",
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("is not an IPv4 or IPv6 address");
    expect(
      (await owner.post(ip, { enforcement_mode: "REPORTING", allowed_ips: "192.0.2.0/24\n127.0.0.1" }))
        .statusCode,
    ).toBe(303);
    const page = await owner.get(`${pages(partner)}/security`);
    expect(page.body).toContain("ALLOWED by the list");
    const api = await h.app.inject({
      method: "GET",
      url: "/v1/account/ip-restriction",
      headers: basic(partner.apiKey),
    });
    expect(json(api)).toEqual({ enforcement_mode: "REPORTING", allowed_ips: ["192.0.2.0/24", "127.0.0.1"] });
  });

  it("shows the addresses requests came from, with their counts, each judged by the allow-list", async ({
    harness: h,
    partner,
  }) => {
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "o@acme.example",
      role: "owner",
    });
    const security = `${pages(partner)}/security`;
    // Plain HTTP is accepted from loopback only: another loopback address than the console's.
    const use = () =>
      h.app.inject({
        method: "GET",
        url: "/v1/account",
        headers: basic(partner.apiKey),
        remoteAddress: "127.0.0.9",
      });
    expect((await use()).statusCode).toBe(200);
    await h.usage.flush();
    const rowOf = (body: string) =>
      body.match(/<tr><td><code>127\.0\.0\.9<\/code><\/td>.*?<\/tr>/)?.[0] ?? "";
    const before = await owner.get(security);
    expect(before.body).toContain("The list would");
    expect(rowOf(before.body)).toContain("no list");
    expect(rowOf(before.body)).toContain("no verdict");
    await owner.post(`${security}/ip-restriction`, {
      enforcement_mode: "REPORTING",
      allowed_ips: "192.0.2.0/24\n127.0.0.1",
    });
    expect((await use()).statusCode).toBe(200);
    await h.usage.flush();
    const row = rowOf((await owner.get(security)).body);
    // Two requests, the second denied by the REPORTING list; the list denies the address now.
    expect(row).toMatch(/<td>2<\/td><td>1<\/td>.*DENIED/);
  });
});

describe("console account pages: audit log", () => {
  it("filters by type and day, and exports quoted CSV", async ({ harness: h, partner }) => {
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "o@acme.example",
      role: "owner",
    });
    const { credentialId } = await generateKey(owner, partner);
    await owner.post(`${pages(partner)}/keys/${credentialId}/disable`);
    await owner.get(`${pages(partner)}/clients`);
    await owner.post(`${pages(partner)}/clients/origins`, { origin: "shop.example.com" });

    const audit = `${pages(partner)}/audit`;
    const all = await owner.get(audit);
    expect(all.body).toContain("allowed_origin.created");
    expect(all.body).toContain("credential.disabled");
    const credentials = await owner.get(`${audit}?type=credential&from=&to=`);
    expect(credentials.body).toContain("credential.disabled");
    expect(credentials.body).not.toContain("allowed_origin.created");
    const today = h.clock.now().toISOString().slice(0, 10);
    expect((await owner.get(`${audit}?to=2025-12-31`)).body).toContain("No events match.");
    expect((await owner.get(`${audit}?from=${today}&to=${today}`)).body).toContain("credential.disabled");
    const wrong = await owner.get(`${audit}?from=yesterday`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain("Invalid from: must be a date");

    const csv = await owner.get(
      `/console/accounts/${encodeURIComponent(partner.accountId)}/audit.csv?type=credential`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.headers["content-disposition"]).toContain("attachment");
    const lines = csv.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "occurred_at,action,actor,target_type,target_id,source_ip,status_before,status_after,reason",
    );
    expect(lines.slice(1).every((line) => line.startsWith('"') && line.endsWith('"'))).toBe(true);
    expect(csv.body).toContain('"credential.disabled","user:o@acme.example","CREDENTIAL"');
    expect(csv.body).not.toContain("allowed_origin");
  });

  it("pages through every filtered event, and exports them all, past any single page or batch", async ({
    harness: h,
    partner,
  }) => {
    const owner = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "o@acme.example",
      role: "owner",
    });
    const day = Date.parse("2026-02-10T00:00:00.000Z");
    let n = 0;
    const event = (action: string, at: number) => ({
      eventId: `0190a1b2-c3d4-7000-8000-${(++n).toString(16).padStart(12, "0")}`,
      accountId: partner.accountId,
      action,
      actor: "operator",
      targetType: "ACCOUNT" as const,
      targetId: partner.accountId,
      sourceIp: null,
      statusBefore: null,
      statusAfter: null,
      reason: null,
      occurredAt: new Date(at),
    });
    // 620 matches on the day (pairs share an instant), with others around them.
    for (let i = 0; i < 620; i += 1) {
      await h.store.insertAuditEvent(event("credential.updated", day + Math.floor(i / 2) * 1000));
      if (i % 4 === 0) await h.store.insertAuditEvent(event("account.updated", day + i * 1000));
    }
    await h.store.insertAuditEvent(event("credential.updated", day - 1));
    await h.store.insertAuditEvent(event("credential.updated", day + 86_400_000));

    const filter = "type=credential&from=2026-02-10&to=2026-02-10";
    const seen: string[] = [];
    let url: string | undefined = `${pages(partner)}/audit?${filter}`;
    for (let page = 0; url && page < 20; page += 1) {
      const body: string = (await owner.get(url)).body;
      const rows = [...body.matchAll(/<tr>\n<td><time datetime="([^"]+)"/g)].map((m) => m[1] ?? "");
      expect(rows.length).toBeLessThanOrEqual(100);
      expect(body).not.toContain("account.updated");
      seen.push(...rows);
      const next = /href="([^"]*\/audit\?[^"]*page_token=[^"]+)">Older events/.exec(body)?.[1];
      url = next?.replaceAll("&amp;", "&");
    }
    expect(seen).toHaveLength(620);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(seen.every((at) => at.startsWith("2026-02-10T"))).toBe(true);

    const csv = await owner.get(`${pages(partner)}/audit.csv?${filter}`);
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trimEnd().split("\r\n").slice(1);
    expect(lines).toHaveLength(620);
    expect(lines.every((line) => line.includes('"credential.updated"'))).toBe(true);
    const all = await owner.get(`${pages(partner)}/audit.csv`);
    expect(all.body.trimEnd().split("\r\n").length - 1).toBeGreaterThan(620 + 155 + 2);
  });

  it("neutralises formulas and quotes every CSV cell", () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const start of ["+", "-", "@", "\t"]) expect(csvCell(`${start}1`)).toBe(`"'${start}1"`);
    expect(csvCell("a,b\nc")).toBe('"a,b\nc"');
    expect(csvCell(null)).toBe('""');
    const csv = auditCsv([
      {
        eventId: "e",
        accountId: "a",
        action: "credential.disabled",
        actor: "user:=1+2@acme.example",
        targetType: "CREDENTIAL",
        targetId: "t",
        sourceIp: null,
        statusBefore: "ACTIVE",
        statusAfter: "DISABLED",
        reason: "@SUM(A1)",
        occurredAt: new Date("2026-01-01T00:00:00Z"),
      },
    ]);
    expect(csv.split("\r\n")[1]).toBe(
      `"2026-01-01T00:00:00.000Z","credential.disabled","user:=1+2@acme.example","CREDENTIAL","t","","ACTIVE","DISABLED","'@SUM(A1)"`,
    );
  });
});

describe("console account pages: webhooks", () => {
  it("shows a new endpoint's secret once, rotates it, sends a test and deletes", async ({ startHarness }) => {
    const h = await startHarness({ WEBHOOK_ALLOW_INSECURE_TARGETS: "true" });
    const partner = await onboardAcquiringPartner(h);
    const dev = await signedInConsoleUser(h, {
      accountId: partner.accountId,
      email: "dev@acme.example",
      role: "developer",
    });
    const webhooks = `${pages(partner)}/webhooks`;
    await dev.get(webhooks);
    const none = await dev.post(webhooks, { url: "https://127.0.0.1:9/hooks" });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain("Invalid request: check events");
    const created = await dev.post(webhooks, {
      url: "https://127.0.0.1:9/hooks",
      description: "lifecycle",
      events: ["credential.created", "credential.disabled"],
    });
    expect(created.statusCode, created.body).toBe(200);
    const secret = textOf(created.body, "webhook-secret");
    expect(secret).toMatch(/^whsec_/);
    const list = await dev.get(webhooks);
    expect(list.body).toContain("https://127.0.0.1:9/hooks");
    expect(list.body).not.toContain(secret);
    const endpointId = /webhooks\/([0-9a-f-]{36})\/deliveries/.exec(list.body)?.[1];

    const rotated = await dev.post(`${webhooks}/${endpointId}/rotate-secret`);
    expect(textOf(rotated.body, "webhook-secret")).not.toBe(secret);
    await dev.get(webhooks);
    const tested = await dev.post(`${webhooks}/${endpointId}/test`);
    expect(tested.statusCode).toBe(303);
    const deliveries = await dev.get(tested.headers.location as string);
    expect(deliveries.body).toContain("webhook.test");
    const deliveryId = /deliveries\/([0-9a-f-]{36})\/redeliver/.exec(deliveries.body)?.[1];
    expect((await dev.post(`${webhooks}/${endpointId}/deliveries/${deliveryId}/redeliver`)).statusCode).toBe(
      303,
    );
    expect((await dev.post(`${webhooks}/${endpointId}/delete`)).statusCode).toBe(303);
    expect((await dev.get(webhooks)).body).toContain("No webhook endpoints yet.");
  });
});
