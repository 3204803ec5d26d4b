import { TOTP } from "otpauth";
import { describe, expect } from "vitest";
import { ConsoleClient } from "./console-client.ts";
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

/**
 * The console's shell and people pages through the real app: a cookie jar over `inject()`, the
 * forms' CSRF tokens read from the pages, TOTP codes computed at the service's clock.
 */

const PASSWORD = "correct horse battery staple 42";

function textOf(body: string, id: string): string {
  const match = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(body);
  return (match?.[1] ?? "").trim();
}

/** The texts of the `<li>` items of the list with this id. */
function listItems(body: string, id: string): string[] {
  const list = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</ol>`).exec(body)?.[1] ?? "";
  return [...list.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => (m[1] ?? "").trim());
}

function totpOf(secret: string): TOTP {
  return new TOTP({ secret: secret.replace(/\s+/g, ""), digits: 6, period: 30, algorithm: "SHA1" });
}

function codeAt(h: Harness, totp: TOTP): string {
  return totp.generate({ timestamp: h.clock.now().getTime() });
}

async function inviteByOperator(
  h: Harness,
  accountId: string,
  email: string,
  role: "owner" | "developer" | "viewer",
): Promise<string> {
  const invited = await h.internal.inject({
    method: "POST",
    url: `/admin/v1/accounts/${accountId}/users`,
    headers: operator,
    payload: { email, role },
  });
  expect(invited.statusCode, invited.body).toBe(201);
  return new URL(json<{ invitation_url: string }>(invited).invitation_url).pathname;
}

async function inviteOperator(h: Harness, email: string): Promise<string> {
  const invited = await h.internal.inject({
    method: "POST",
    url: "/admin/v1/operators/users",
    headers: operator,
    payload: { email },
  });
  expect(invited.statusCode, invited.body).toBe(201);
  return new URL(json<{ invitation_url: string }>(invited).invitation_url).pathname;
}

/** Invitation → password → TOTP enrolment, as a new visitor; ends signed in. */
async function join(
  h: Harness,
  invitationPath: string,
): Promise<{ visitor: ConsoleClient; totp: TOTP; recovery: string[] }> {
  const visitor = new ConsoleClient(h.app);
  expect((await visitor.get(invitationPath)).statusCode).toBe(200);
  const accepted = await visitor.post(invitationPath, {
    password: PASSWORD,
    password_confirmation: PASSWORD,
  });
  expect(accepted.statusCode, accepted.body).toBe(303);
  expect(accepted.headers.location).toBe("/console/two-factor/enrol");
  const enrol = await visitor.get("/console/two-factor/enrol");
  expect(enrol.statusCode).toBe(200);
  const totp = totpOf(textOf(enrol.body, "totp-secret"));
  const done = await visitor.post("/console/two-factor/enrol", { code: codeAt(h, totp) });
  expect(done.statusCode, done.body).toBe(200);
  const recovery = listItems(done.body, "recovery-codes");
  return { visitor, totp, recovery };
}

async function auditActors(
  h: Harness,
  partner: OnboardedPartner,
): Promise<{ action: string; actor: string }[]> {
  const events = await h.app.inject({
    method: "GET",
    url: "/v1/account/audit-events?page_size=100",
    headers: basic(partner.apiKey),
  });
  expect(events.statusCode).toBe(200);
  return json<{ audit_events: { action: string; actor: string }[] }>(events).audit_events;
}

describe("signing in to the console", () => {
  it("takes an invited owner from the invitation through TOTP enrolment, sign-out, and back in", async ({
    harness: h,
    partner,
  }) => {
    const invitation = await inviteByOperator(h, partner.accountId, "owner@acme.example", "owner");
    const owner = new ConsoleClient(h.app);

    const page = await owner.get(invitation);
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("owner@acme.example");
    expect(page.body).toContain('<html lang="en">');
    expect(page.body.match(/<h1>/g)).toHaveLength(1);
    // The page's GET consumes nothing.
    expect((await owner.get(invitation)).statusCode).toBe(200);

    // Without the form's token the POST is refused, with a page rather than JSON.
    const forged = await owner.post(
      invitation,
      { password: PASSWORD, password_confirmation: PASSWORD },
      { csrf: false },
    );
    expect(forged.statusCode).toBe(403);
    expect(forged.headers["content-type"]).toContain("text/html");
    expect(forged.body).toContain("did not come from the console");

    const mismatch = await owner.post(invitation, {
      password: PASSWORD,
      password_confirmation: `${PASSWORD}!`,
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain("does not match the password");
    const short = await owner.post(invitation, { password: "too short", password_confirmation: "too short" });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('aria-invalid="true"');

    const accepted = await owner.post(invitation, { password: PASSWORD, password_confirmation: PASSWORD });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe("/console/two-factor/enrol");
    const setCookie = [accepted.headers["set-cookie"]].flat().join("\n");
    expect(setCookie).toMatch(/__Host-console=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    // The link was single use.
    const reused = await new ConsoleClient(h.app).get(invitation);
    expect(reused.statusCode).toBe(410);
    expect(reused.body).toContain("already been used");

    // Half signed in: the account pages send the browser back to enrolment.
    const early = await owner.get("/console/accounts");
    expect(early.statusCode).toBe(303);
    expect(early.headers.location).toBe("/console/two-factor/enrol");

    const enrol = await owner.get("/console/two-factor/enrol");
    expect(enrol.statusCode).toBe(200);
    expect(enrol.body).toMatch(/<svg class="qr" role="img" aria-label="[^"]+"/);
    const wrong = await owner.post("/console/two-factor/enrol", { code: "000000" });
    expect(wrong.statusCode).toBeGreaterThanOrEqual(400);
    expect(wrong.body).toContain("the image below is the same as before");
    // The secret offered stays the same across a mistyped code.
    expect(textOf(wrong.body, "totp-secret")).toBe(textOf(enrol.body, "totp-secret"));
    const totp = totpOf(textOf(wrong.body, "totp-secret"));
    const enrolled = await owner.post("/console/two-factor/enrol", { code: codeAt(h, totp) });
    expect(enrolled.statusCode).toBe(200);
    const recovery = listItems(enrolled.body, "recovery-codes");
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    expect(enrolled.body).toMatch(/<a class="button" href="\/console\/accounts">Continue<\/a>/);

    const accounts = await owner.get("/console/accounts");
    expect(accounts.statusCode).toBe(200);
    expect(accounts.body).toContain(`href="/console/accounts/${partner.accountId}/keys"`);
    expect(accounts.body).toContain("owner@acme.example");
    expect((await owner.get("/console/")).headers.location).toBe("/console/accounts");

    // Sign out: the cookie taken before stops working.
    const stolen = owner.cookieHeader;
    const signedOut = await owner.post("/console/sign-out");
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe("/console/sign-in?signed_out=1");
    const replayed = await h.app.inject({
      method: "GET",
      url: "/console/accounts",
      headers: { cookie: stolen },
    });
    expect(replayed.statusCode).toBe(303);
    expect(replayed.headers.location).toBe("/console/sign-in");
    expect(owner.hasCookie("__Host-console")).toBe(false);

    // Back in: email, password, then a TOTP code of a later step (each step counts once).
    const signInPage = await owner.get("/console/sign-in?signed_out=1");
    expect(signInPage.body).toContain("You have signed out.");
    const refused = await owner.post("/console/sign-in", {
      email: "owner@acme.example",
      password: "wrong password!!",
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toContain('value="owner@acme.example"');
    const signedIn = await owner.post("/console/sign-in", {
      email: "Owner@Acme.example",
      password: PASSWORD,
    });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe("/console/two-factor");
    expect((await owner.get("/console/accounts")).headers.location).toBe("/console/two-factor");
    await owner.get("/console/two-factor");
    const wrongCode = await owner.post("/console/two-factor", { code: "123456" });
    expect([400, 401]).toContain(wrongCode.statusCode);
    expect(wrongCode.body).toContain('role="alert"');
    h.clock.advance(60_000);
    const verified = await owner.post("/console/two-factor", { code: codeAt(h, totp) });
    expect(verified.statusCode).toBe(303);
    expect((await owner.get("/console/accounts")).statusCode).toBe(200);

    // A recovery code works once in place of the app's code.
    await owner.post("/console/sign-out");
    await owner.get("/console/sign-in");
    await owner.post("/console/sign-in", { email: "owner@acme.example", password: PASSWORD });
    await owner.get("/console/two-factor");
    expect((await owner.post("/console/two-factor", { code: recovery[0] as string })).statusCode).toBe(303);
    await owner.post("/console/sign-out");
    await owner.get("/console/sign-in");
    await owner.post("/console/sign-in", { email: "owner@acme.example", password: PASSWORD });
    await owner.get("/console/two-factor");
    const usedTwice = await owner.post("/console/two-factor", { code: recovery[0] as string });
    expect([400, 401]).toContain(usedTwice.statusCode);
  });

  it("sends the strict CSP, security headers and __Host- cookies; assets are cached by digest", async ({
    harness: h,
  }) => {
    const visitor = new ConsoleClient(h.app);
    const page = await visitor.get("/console/sign-in");
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toBe(
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;form-action 'self';frame-ancestors 'none';base-uri 'none'",
    );
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    const csrfCookie = [page.headers["set-cookie"]].flat().join("\n");
    expect(csrfCookie).toMatch(/__Host-console-csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Strict/);
    // Nothing inline: no style attributes, no inline scripts or styles, every input labelled.
    expect(page.body).not.toMatch(/\sstyle=|<style|<script(?![^>]*\ssrc=)/);
    for (const [, id] of page.body.matchAll(/<input[^>]*\sid="([^"]+)"/g)) {
      expect(page.body).toContain(`<label for="${id}">`);
    }
    expect(page.body).toContain('<a class="skip-link" href="#main">');
    expect(page.body).toMatch(/<main id="main"/);

    const css = /href="(\/console\/assets\/console\.css\?v=[0-9a-f]{16})"/.exec(page.body)?.[1] as string;
    const js = /src="(\/console\/assets\/console\.js\?v=[0-9a-f]{16})"/.exec(page.body)?.[1] as string;
    const style = await h.app.inject({ method: "GET", url: css });
    expect(style.statusCode).toBe(200);
    expect(style.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(style.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(style.body).toContain(":focus-visible");
    const again = await h.app.inject({
      method: "GET",
      url: css,
      headers: { "if-none-match": String(style.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    const script = await h.app.inject({ method: "GET", url: js });
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.body).toContain("data-copy");
    expect((await h.app.inject({ method: "GET", url: "/console/assets/constructor" })).statusCode).toBe(404);

    // Unknown console addresses are HTML pages; the API's errors stay JSON.
    const missing = await h.app.inject({ method: "GET", url: "/console/no-such-page" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toContain("text/html");
    const deleted = await h.app.inject({ method: "DELETE", url: "/console/accounts" });
    expect(deleted.statusCode).toBe(403);
    expect(deleted.headers["content-type"]).toContain("text/html");
    const api = await h.app.inject({ method: "GET", url: "/v1/no-such-endpoint" });
    expect(api.statusCode).toBe(404);
    expect(json<{ error_code: string }>(api).error_code).toBe("NOT_FOUND");
    // Without a session, pages send the browser to the sign-in page.
    const anonymous = await h.app.inject({ method: "GET", url: "/console/accounts" });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe("/console/sign-in");
    // The console is not part of the API's reference.
    const openapi = await h.app.inject({ method: "GET", url: "/openapi.json" });
    expect(
      Object.keys(json<{ paths: object }>(openapi).paths).filter((p) => p.startsWith("/console")),
    ).toEqual([]);
  });
});

describe("a console URL that cannot be decoded", () => {
  it("answers the console's HTML error page, not the API's JSON", async ({ harness: h }) => {
    const bad = await h.app.inject({ method: "GET", url: "/console/accounts/%E0%A4%A/keys" });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers["content-type"]).toContain("text/html");
    expect(bad.headers["cache-control"]).toBe("no-store");
    expect(bad.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(bad.body).toContain("The request URL is malformed");
    const api = await h.app.inject({ method: "GET", url: "/v1/accounts/%E0%A4%A" });
    expect(api.headers["content-type"]).toContain("application/json");
  });
});

describe("the console behind a proxy", () => {
  it("throttles failed sign-ins per client address (X-Real-IP of a trusted proxy) and audits that address", async ({
    startHarness,
  }) => {
    const h = await startHarness({ TRUSTED_PROXIES: "10.0.0.1", CONSOLE_SIGN_IN_LIMIT: "3/15m" });
    const partner = await onboardAcquiringPartner(h);
    await join(h, await inviteByOperator(h, partner.accountId, "owner@acme.example", "owner"));
    const from = async (client: string): Promise<ConsoleClient> => {
      const visitor = new ConsoleClient(h.app, {
        remoteAddress: "10.0.0.1",
        headers: { "x-real-ip": client },
      });
      expect((await visitor.get("/console/sign-in")).statusCode).toBe(200);
      return visitor;
    };

    // Three guesses from one client use up its address's budget (each at another email)…
    const guesser = await from("198.51.100.7");
    for (let i = 0; i < 3; i++) {
      const refused = await guesser.post("/console/sign-in", {
        email: `guess${i}@acme.example`,
        password: "wrong password!!",
      });
      expect(refused.statusCode).toBe(401);
    }
    expect(
      (await guesser.post("/console/sign-in", { email: "guess9@acme.example", password: "x" })).statusCode,
    ).toBe(429);
    // …but not the budget of everyone behind the same proxy.
    const owner = await from("203.0.113.20");
    const wrong = await owner.post("/console/sign-in", { email: "owner@acme.example", password: "not it!!" });
    expect(wrong.statusCode).toBe(401);
    const signedIn = await owner.post("/console/sign-in", {
      email: "owner@acme.example",
      password: PASSWORD,
    });
    expect(signedIn.statusCode).toBe(303);

    // The audit event names the client, not the proxy.
    const failedFrom = async (): Promise<(string | null)[]> =>
      (await h.store.listAuditEvents({ accountId: partner.accountId, after: null, limit: 50 }))
        .filter((e) => e.action === "console.sign_in_failed")
        .map((e) => e.sourceIp);
    await expect.poll(failedFrom).toEqual(["203.0.113.20"]);
  });
});

describe("users of an account", () => {
  it("owners invite, change roles, reset second factors and remove; viewers and developers cannot", async ({
    harness: h,
    partner,
  }) => {
    const { visitor: owner } = await join(
      h,
      await inviteByOperator(h, partner.accountId, "owner@acme.example", "owner"),
    );
    const usersUrl = `/console/accounts/${partner.accountId}/users`;
    const users = await owner.get(usersUrl);
    expect(users.statusCode).toBe(200);
    expect(users.body).toContain('<label for="invite-email">Email</label>');
    expect(users.body).toContain('<label for="invite-role">Role</label>');
    expect(users.body).toMatch(/<a href="[^"]+\/users" aria-current="page">Users<\/a>/);

    const refused = await owner.post(usersUrl, { email: "not an email", role: "viewer" });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('value="not an email"');
    const badRole = await owner.post(usersUrl, { email: "x@acme.example", role: "operator" });
    expect(badRole.statusCode).toBe(400);

    const invited = await owner.post(usersUrl, { email: "viewer@acme.example", role: "viewer" });
    expect(invited.statusCode).toBe(200);
    const invitationUrl = textOf(invited.body, "invitation-url");
    expect(invitationUrl).toMatch(/^https:\/\/partners\.example\/console\/invitations\/[A-Za-z0-9_-]{43}$/);
    const { visitor: viewer } = await join(h, new URL(invitationUrl).pathname);

    // The viewer reads, but the Users page and its forms are the owner's.
    const viewerKeys = await viewer.get(`/console/accounts/${partner.accountId}/keys`);
    expect(viewerKeys.statusCode).toBe(200);
    expect(viewerKeys.body).not.toContain(`href="${usersUrl}"`);
    expect((await viewer.get(usersUrl)).statusCode).toBe(403);
    const forgedInvite = await viewer.post(usersUrl, { email: "mallory@acme.example", role: "owner" });
    expect(forgedInvite.statusCode).toBe(403);
    expect(forgedInvite.headers["content-type"]).toContain("text/html");
    const userIds = [...(await owner.get(usersUrl)).body.matchAll(/\/users\/([^/"]+)\/remove/g)].map(
      (m) => m[1],
    );
    expect(userIds.length).toBe(2);
    for (const id of userIds) {
      expect((await viewer.post(`${usersUrl}/${id}/remove`)).statusCode).toBe(403);
      expect((await viewer.post(`${usersUrl}/${id}/role`, { role: "owner" })).statusCode).toBe(403);
      expect((await viewer.post(`${usersUrl}/${id}/reset-sign-in`)).statusCode).toBe(403);
      expect((await viewer.post(`${usersUrl}/${id}/reset-second-factor`)).statusCode).toBe(403);
    }

    // The owner promotes the viewer to developer: still no Users page for them.
    const listed = (await owner.get(usersUrl)).body;
    const viewerUserId = /viewer@acme\.example[\s\S]*?\/users\/([^/"]+)\/role/.exec(listed)?.[1] as string;
    expect(viewerUserId).toBeTruthy();
    const rolePage = await owner.get(`${usersUrl}/${viewerUserId}/role`);
    expect(rolePage.statusCode).toBe(200);
    expect(rolePage.body).toContain('<label for="role">New role</label>');
    const changed = await owner.post(`${usersUrl}/${viewerUserId}/role`, { role: "developer" });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`${usersUrl}?done=role-changed`);
    expect((await owner.get(changed.headers.location as string)).body).toContain("The role is changed.");
    expect((await viewer.get(usersUrl)).statusCode).toBe(403);

    // The last owner can be neither demoted nor removed.
    const ownerUserId = /owner@acme\.example[\s\S]*?\/users\/([^/"]+)\/role/.exec(listed)?.[1] as string;
    const demote = await owner.post(`${usersUrl}/${ownerUserId}/role`, { role: "viewer" });
    expect(demote.statusCode).toBe(409);
    const removeSelf = await owner.post(`${usersUrl}/${ownerUserId}/remove`);
    expect(removeSelf.statusCode).toBe(409);

    const resetSelf = await owner.post(`${usersUrl}/${ownerUserId}/reset-sign-in`);
    expect(resetSelf.statusCode).toBe(409);

    // Resetting the sign-in signs the user out, and their password no longer works: only the new
    // one-time link, shown once to the owner, lets them choose a password and enrol again.
    expect(listed).toContain(`${usersUrl}/${viewerUserId}/reset-sign-in`);
    const reset = await owner.post(`${usersUrl}/${viewerUserId}/reset-sign-in`);
    expect(reset.statusCode).toBe(200);
    expect(reset.body).toContain("The sign-in of viewer@acme.example is reset");
    const resetLink = textOf(reset.body, "invitation-url");
    expect(resetLink).toMatch(/^https:\/\/partners\.example\/console\/invitations\/[A-Za-z0-9_-]{43}$/);
    expect(resetLink).not.toBe(invitationUrl);
    const afterReset = await viewer.get(`/console/accounts/${partner.accountId}/keys`);
    expect(afterReset.statusCode).toBe(303);
    expect(afterReset.headers.location).toBe("/console/sign-in");
    await viewer.get("/console/sign-in");
    const oldPassword = await viewer.post("/console/sign-in", {
      email: "viewer@acme.example",
      password: PASSWORD,
    });
    expect(oldPassword.statusCode).toBe(401);
    // The earlier address still resets (another new link; the first one is superseded).
    const again = await owner.post(`${usersUrl}/${viewerUserId}/reset-second-factor`);
    expect(again.statusCode).toBe(200);
    expect(textOf(again.body, "invitation-url")).not.toBe(resetLink);
    expect((await h.services.consoleIdentity.invitation(resetLink.split("/").pop() ?? "")).state).toBe(
      "SUPERSEDED",
    );

    const removed = await owner.post(`${usersUrl}/${viewerUserId}/remove`);
    expect(removed.statusCode).toBe(303);
    expect((await owner.get(removed.headers.location as string)).body).toContain("signed out everywhere");
    await viewer.get("/console/sign-in");
    const gone = await viewer.post("/console/sign-in", { email: "viewer@acme.example", password: PASSWORD });
    expect(gone.statusCode).toBe(401);

    const actors = await auditActors(h, partner);
    const byOwner = actors.filter((e) => e.actor === "user:owner@acme.example").map((e) => e.action);
    expect(byOwner).toEqual(
      expect.arrayContaining([
        "console.user_invited",
        "console.role_changed",
        "console.sign_in_reset",
        "console.user_removed",
      ]),
    );
  });

  it("shows an Acquiring Partner its Partner Accounts, and another partner's account is a 404", async ({
    harness: h,
    partner,
  }) => {
    const child = await onboardPartnerAccount(h, partner, "Corner Shop");
    const { onboardAcquiringPartner } = await import("./harness.ts");
    const other = await onboardAcquiringPartner(h, "Rival Payments");
    const { visitor: owner } = await join(
      h,
      await inviteByOperator(h, partner.accountId, "owner@acme.example", "owner"),
    );

    const accounts = await owner.get("/console/accounts");
    expect(accounts.body).toContain(`/console/accounts/${child.accountId}/keys`);
    expect(accounts.body).not.toContain(other.accountId);
    const searched = await owner.get("/console/accounts?q=corner");
    expect(searched.body).toContain(`/console/accounts/${child.accountId}/keys`);
    expect(searched.body).not.toContain(`/console/accounts/${partner.accountId}/keys`);
    expect(searched.body).toContain('value="corner"');

    expect((await owner.get(`/console/accounts/${child.accountId}/users`)).statusCode).toBe(200);
    for (const section of ["users", "keys"]) {
      const foreign = await owner.get(`/console/accounts/${other.accountId}/${section}`);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.headers["content-type"]).toContain("text/html");
    }
    const foreignPost = await owner.post(`/console/accounts/${other.accountId}/users`, {
      email: "x@rival.example",
      role: "owner",
    });
    expect(foreignPost.statusCode).toBe(404);
    expect(
      (await owner.get("/console/accounts/krn:partner:global:account:live:ZZZZZZZZ/keys")).statusCode,
    ).toBe(404);
    // Partner users are not operators.
    expect((await owner.get("/console/operator")).statusCode).toBe(403);
    expect((await owner.get(`/console/operator/accounts/${partner.accountId}`)).statusCode).toBe(403);

    // A Partner Account's own user sees only that account.
    const { visitor: shop } = await join(
      h,
      await inviteByOperator(h, child.accountId, "shop@corner.example", "owner"),
    );
    const shopAccounts = await shop.get("/console/accounts");
    expect(shopAccounts.body).toContain(`/console/accounts/${child.accountId}/keys`);
    expect(shopAccounts.body).not.toContain(`/console/accounts/${partner.accountId}/keys`);
    expect((await shop.get(`/console/accounts/${partner.accountId}/keys`)).statusCode).toBe(404);
  });
});

describe("the operator's pages", () => {
  it("searches accounts and acts on one through the admin API's services, audited as the operator", async ({
    harness: h,
    partner,
  }) => {
    const { visitor: staff } = await join(h, await inviteOperator(h, "support@provider.example"));
    expect((await staff.get("/console/")).headers.location).toBe("/console/operator");
    expect((await staff.get("/console/accounts")).headers.location).toBe("/console/operator");

    const all = await staff.get("/console/operator");
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain(`/console/operator/accounts/${partner.accountId}`);
    const byName = await staff.get("/console/operator?q=acme");
    expect(byName.body).toContain(`/console/operator/accounts/${partner.accountId}`);
    expect((await staff.get("/console/operator?q=nothing-like-it")).body).toContain("No accounts match.");
    expect((await staff.get(`/console/operator?q=${encodeURIComponent(partner.accountId)}`)).body).toContain(
      `/console/operator/accounts/${partner.accountId}`,
    );

    // A disabled key, a reporting IP allow-list: what support is asked to undo.
    const disabled = await h.app.inject({
      method: "DELETE",
      url: `/v1/account/credentials/${partner.credentialId}`,
      headers: basic(partner.apiKey),
    });
    expect(disabled.statusCode, disabled.body).toBeLessThan(300);
    const accountUrl = `/console/operator/accounts/${partner.accountId}`;
    const page = await staff.get(accountUrl);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(partner.credentialId);
    expect(page.body).toMatch(/<button[^>]*>Reactivate/);
    // Operators read the account's pages too.
    expect((await staff.get(`/console/accounts/${partner.accountId}/keys`)).statusCode).toBe(200);

    const reactivated = await staff.post(`${accountUrl}/credentials/${partner.credentialId}/enable`);
    expect(reactivated.statusCode, reactivated.body).toBe(303);
    expect(reactivated.headers.location).toBe(`${accountUrl}?done=reactivated`);
    expect((await staff.get(reactivated.headers.location as string)).body).toContain(
      "The credential is active again.",
    );
    const me = await h.app.inject({ method: "GET", url: "/v1/account", headers: basic(partner.apiKey) });
    expect(me.statusCode).toBe(200);

    const ip = await h.app.inject({
      method: "PUT",
      url: "/v1/account/ip-restriction",
      headers: basic(partner.apiKey),
      payload: { enforcement_mode: "REPORTING", allowed_ips: ["192.0.2.0/24"] },
    });
    expect(ip.statusCode, ip.body).toBe(200);
    await staff.get(accountUrl);
    const reset = await staff.post(`${accountUrl}/ip-restriction/reset`);
    expect(reset.statusCode).toBe(303);
    expect((await staff.get(reset.headers.location as string)).body).toContain("The IP allow-list is off");

    const badReason = await staff.post(`${accountUrl}/suspend`, { reason: "x".repeat(201) });
    expect(badReason.statusCode).toBe(400);
    const suspended = await staff.post(`${accountUrl}/suspend`, { reason: "fraud review" });
    expect(suspended.statusCode).toBe(303);
    expect(suspended.headers.location).toBe(`${accountUrl}?done=suspended`);
    const refusedKey = await h.app.inject({
      method: "GET",
      url: "/v1/account",
      headers: basic(partner.apiKey),
    });
    expect(refusedKey.statusCode).toBe(401);
    expect((await staff.get(accountUrl)).body).toContain("fraud review");
    const again = await staff.post(`${accountUrl}/suspend`);
    expect(again.headers.location).toBe(`${accountUrl}?done=unchanged`);
    const resumed = await staff.post(`${accountUrl}/resume`, { reason: "cleared" });
    expect(resumed.headers.location).toBe(`${accountUrl}?done=resumed`);

    const events = await auditActors(h, partner);
    const byStaff = events
      .filter((e) => e.actor === "operator:support@provider.example")
      .map((e) => e.action);
    expect(byStaff).toEqual(
      expect.arrayContaining(["credential.enabled", "account.suspended", "account.resumed"]),
    );
    expect(byStaff.length).toBeGreaterThanOrEqual(4);

    // Without the form's token, no action runs.
    expect((await staff.post(`${accountUrl}/suspend`, {}, { csrf: false })).statusCode).toBe(403);
    expect((await staff.get("/console/nothing")).statusCode).toBe(404);
  });
});
