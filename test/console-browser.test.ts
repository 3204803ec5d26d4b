import { readFileSync } from "node:fs";
import type { TOTP } from "otpauth";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AxeViolation, chromiumInstalled, launchChromium, seriousAxeViolations } from "./browser.ts";
import { acceptInvitation, type ConsoleServer, signIn, startConsoleServer } from "./console-tour.ts";

/**
 * The console in a real browser: Debian's Chromium driven by playwright-core against a real
 * `partnerctl serve` process, signed in the way a partner's staff would be (invitation, password,
 * TOTP), with axe-core run on every page it passes.
 */
// On a laptop without Chromium the test is skipped with a message; in CI (which installs it) it runs
// and fails if Chromium cannot be started.
const skipped = !chromiumInstalled() && process.env.CI !== "true";
if (skipped) {
  console.warn(
    "console-browser.test.ts: skipped, /usr/bin/chromium is not installed (apt-get install -y chromium)",
  );
}

let consoleServer: ConsoleServer;
let origin: string;
let browser: Browser;
let accountId: string;
/** Every page visited, with axe's serious and critical findings there (a path may be visited several times). */
const axeFindings: { path: string; violations: AxeViolation[] }[] = [];

/** Records axe's serious and critical findings of the page as it is now, under its path. */
async function audit(page: Page): Promise<void> {
  const path = decodeURIComponent(new URL(page.url()).pathname)
    .replace(/krn:partner:[a-z]+:account:[a-z]+:[A-Za-z0-9]+/g, ":account")
    .replace(/\/invitations\/[A-Za-z0-9_-]+/, "/invitations/:token")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ":id");
  axeFindings.push({ path, violations: await seriousAxeViolations(page) });
}

function sessionCookie(cookies: { name: string; value: string }[]): string {
  const cookie = cookies.find((c) => c.name === "__Host-console");
  expect(cookie).toBeDefined();
  return `${cookie?.name}=${cookie?.value}`;
}

const apiAccount = (key: string) =>
  fetch(`${consoleServer.server.url}/v1/account`, { headers: { authorization: `Basic ${key}` } });

beforeAll(async () => {
  if (skipped) return;
  consoleServer = await startConsoleServer({
    USAGE_FLUSH_INTERVAL: "PT0.2S",
    // A webhook endpoint on loopback, for its pages (nothing is delivered within the test).
    WEBHOOK_ALLOW_INSECURE_TARGETS: "true",
  });
  origin = consoleServer.origin;
  accountId = (await consoleServer.cli(["admin", "accounts", "create", "--name", "Acme Payments"]))
    .account_id as string;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await consoleServer?.close();
});

describe.skipIf(skipped)("the partner console in Chromium", () => {
  let owner: BrowserContext;
  let ownerPage: Page;
  let ownerTotp: TOTP;
  let apiKey: string;
  const visited = (page: Page) => audit(page);
  const keysUrl = () => `${origin}/console/accounts/${accountId}/keys`;

  it("takes an invited owner through password and TOTP enrolment to the account's keys", async () => {
    const invited = await consoleServer.cli([
      "admin",
      "users",
      "invite",
      accountId,
      "--email",
      "owner@acme.example",
      "--role",
      "owner",
    ]);
    expect(invited.invitation_url).toMatch(/^http:\/\/localhost:\d+\/console\/invitations\//);
    owner = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    ownerPage = await owner.newPage();
    const enrolled = await acceptInvitation(ownerPage, invited.invitation_url as string, visited);
    ownerTotp = enrolled.totp;
    expect(enrolled.recoveryCodes).toHaveLength(10);
    expect(new Set(enrolled.recoveryCodes).size).toBe(10);
    await ownerPage.goto(`${origin}/console/accounts`);
    await audit(ownerPage);
    await ownerPage
      .getByRole("link", { name: /Acme Payments/ })
      .first()
      .click();
    await ownerPage.waitForURL(new RegExp(`/console/accounts/${accountId}/keys`));
    await audit(ownerPage);
    // The invitation was single use.
    expect((await fetch(invited.invitation_url as string)).status).toBe(410);
  });

  it("generates a key, downloads it, and the API accepts it; its last use appears", async () => {
    await ownerPage.getByLabel("Description").fill("checkout service");
    await ownerPage.getByRole("button", { name: "Generate new API key" }).click();
    apiKey = ((await ownerPage.locator("#new-api-key").textContent()) ?? "").trim();
    expect(apiKey).toMatch(/^klarna_(live|test)_api_/);
    await audit(ownerPage);
    const [download] = await Promise.all([
      ownerPage.waitForEvent("download"),
      ownerPage.getByRole("link", { name: "Download as .txt" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.txt$/);
    expect(readFileSync((await download.path()) as string, "utf8")).toContain(apiKey);

    expect((await apiAccount(apiKey)).status).toBe(200);
    const row = ownerPage.getByRole("row", { name: /checkout service/ });
    await expect
      .poll(
        async () => {
          await ownerPage.goto(keysUrl());
          // The seventh column, "Last used": a <time> once the use is recorded, "never" before.
          return row.locator("td").nth(6).locator("time").count();
        },
        { timeout: 15_000, interval: 300 },
      )
      .toBe(1);
  });

  it("rotates the key (the new one shown once) and disables it", async () => {
    const row = ownerPage.getByRole("row", { name: /checkout service/ });
    await row.getByText("Rotate…").click();
    await row.getByRole("button", { name: "Rotate" }).click();
    const rotated = ((await ownerPage.locator("#new-api-key").textContent()) ?? "").trim();
    expect(rotated).toMatch(/^klarna_(live|test)_api_/);
    expect(rotated).not.toBe(apiKey);
    expect((await apiAccount(rotated)).status).toBe(200);
    await audit(ownerPage);

    await ownerPage.goto(keysUrl());
    const rows = ownerPage.getByRole("row", { name: /checkout service/ });
    await expect.poll(() => rows.count()).toBe(2);
    for (const row of await rows.all()) {
      if ((await row.getByRole("button", { name: "Disable" }).count()) === 0) continue;
      await row.getByRole("button", { name: "Disable" }).click();
      await ownerPage.goto(keysUrl());
    }
    expect((await apiAccount(rotated)).status).toBe(401);
    expect((await apiAccount(apiKey)).status).toBe(401);
    await expect.poll(() => ownerPage.getByRole("row", { name: /DISABLED/ }).count()).toBe(2);
  });

  it("refuses a POST without a CSRF token; a viewer sees the list without buttons and gets 403 on a forged POST", async () => {
    const cookie = sessionCookie(await owner.cookies());
    const csrfLess = await fetch(keysUrl(), {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "description=sneaky&environment=LIVE",
      redirect: "manual",
    });
    expect(csrfLess.status).toBe(403);

    await ownerPage.goto(`${origin}/console/accounts/${accountId}/users`);
    await audit(ownerPage);
    await ownerPage.getByLabel("Email").fill("viewer@acme.example");
    await ownerPage.getByLabel("Role").selectOption("viewer");
    await ownerPage.getByRole("button", { name: /Invite/ }).click();
    const invitationUrl = ((await ownerPage.locator("#invitation-url").textContent()) ?? "").trim();
    expect(invitationUrl).toContain("/console/invitations/");

    const viewer = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const viewerPage = await viewer.newPage();
    await acceptInvitation(viewerPage, invitationUrl, visited);
    await viewerPage.goto(keysUrl());
    await audit(viewerPage);
    expect(await viewerPage.getByRole("row", { name: /checkout service/ }).count()).toBe(2);
    for (const name of ["Generate new API key", "Disable", "Enable", "Rotate"]) {
      expect(await viewerPage.getByRole("button", { name }).count(), name).toBe(0);
    }
    // A forged POST with the viewer's own valid CSRF token (from the sign-out form).
    const token = await viewerPage.locator('input[name="_csrf"]').first().getAttribute("value");
    const forged = await viewerPage.request.post(keysUrl(), {
      form: { _csrf: token ?? "", description: "forged", environment: "LIVE" },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    expect((await viewerPage.request.get(`${origin}/console/accounts/${accountId}/users`)).status()).toBe(
      403,
    );
    await viewer.close();
  });

  it("signs out; the session cookie taken before stops working; signing in again asks for the TOTP", async () => {
    const stolen = sessionCookie(await owner.cookies());
    const before = await fetch(`${origin}/console/accounts`, {
      headers: { cookie: stolen },
      redirect: "manual",
    });
    expect(before.status).toBe(200);
    await ownerPage.getByRole("button", { name: "Sign out" }).click();
    await ownerPage.waitForURL(/\/console\/sign-in/);
    const after = await fetch(`${origin}/console/accounts`, {
      headers: { cookie: stolen },
      redirect: "manual",
    });
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toMatch(/\/console\/sign-in/);

    await signIn(ownerPage, origin, "owner@acme.example", ownerTotp, visited);
    expect(new URL(ownerPage.url()).pathname).toMatch(/^\/console\/accounts/);
  });

  it("has no serious or critical accessibility finding on any page, the operator's included", async () => {
    for (const section of ["keys", "clients", "security", "audit", "webhooks", "users"]) {
      const answer = await ownerPage.goto(`${origin}/console/accounts/${accountId}/${section}`);
      expect(answer?.status(), section).toBe(200);
      await audit(ownerPage);
      // On a 390 px phone the page is no wider than the screen (wide tables scroll in their box).
      await ownerPage.setViewportSize({ width: 390, height: 844 });
      const width = await ownerPage.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
            .documentElement.scrollWidth,
      );
      expect(width, section).toBeLessThanOrEqual(390);
      await ownerPage.setViewportSize({ width: 1280, height: 900 });
    }
    // The pages behind forms: a webhook endpoint's secret and its deliveries, a role change.
    await ownerPage.goto(`${origin}/console/accounts/${accountId}/webhooks`);
    await ownerPage.getByLabel("URL").fill("http://127.0.0.1:9/hooks");
    await ownerPage.getByLabel("credential.disabled").check();
    await ownerPage.getByRole("button", { name: "Add endpoint" }).click();
    await expect.poll(() => ownerPage.getByText(/whsec_/).count()).toBeGreaterThan(0);
    await audit(ownerPage);
    await ownerPage.goto(`${origin}/console/accounts/${accountId}/webhooks`);
    await ownerPage
      .getByRole("link", { name: /Deliveries to/ })
      .first()
      .click();
    await ownerPage.waitForURL(/\/deliveries$/);
    await audit(ownerPage);
    await ownerPage.goto(`${origin}/console/accounts/${accountId}/users`);
    await ownerPage.getByRole("link", { name: /Change role of viewer@acme\.example/ }).click();
    await ownerPage.waitForURL(/\/role$/);
    await audit(ownerPage);

    const operator = await consoleServer.cli([
      "admin",
      "operators",
      "invite",
      "--email",
      "support@provider.example",
    ]);
    const operatorContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const operatorPage = await operatorContext.newPage();
    await acceptInvitation(operatorPage, operator.invitation_url as string, visited);
    await operatorPage.goto(`${origin}/console/operator?q=Acme`);
    await audit(operatorPage);
    await operatorPage
      .getByRole("link", { name: /Acme Payments/ })
      .first()
      .click();
    await operatorPage.waitForURL(new RegExp(`/console/operator/accounts/${accountId}`));
    await audit(operatorPage);
    await operatorContext.close();

    const findings = axeFindings.filter(({ violations }) => violations.length > 0);
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    expect(new Set(axeFindings.map(({ path }) => path))).toEqual(
      new Set([
        "/console/invitations/:token",
        "/console/sign-in",
        "/console/two-factor",
        "/console/two-factor/enrol",
        "/console/accounts",
        "/console/accounts/:account/keys",
        // The new key of a rotation, shown once.
        "/console/accounts/:account/keys/:id/rotate",
        "/console/accounts/:account/clients",
        "/console/accounts/:account/security",
        "/console/accounts/:account/audit",
        "/console/accounts/:account/webhooks",
        "/console/accounts/:account/webhooks/:id/deliveries",
        "/console/accounts/:account/users",
        "/console/accounts/:account/users/:id/role",
        "/console/operator",
        "/console/operator/accounts/:account",
      ]),
    );
  });

  it("can be used by keyboard alone, with a visible focus", async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/console/sign-in`);
    const focused = async () =>
      page.evaluate(() => {
        const active = (
          globalThis as unknown as {
            document: {
              activeElement: {
                tagName: string;
                textContent: string | null;
                getAttribute(name: string): string | null;
              } | null;
            };
          }
        ).document.activeElement;
        if (!active) return null;
        const style = (
          globalThis as unknown as {
            getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
          }
        ).getComputedStyle(active);
        return {
          tag: active.tagName.toLowerCase(),
          name: active.getAttribute("name") ?? active.textContent?.trim() ?? "",
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
        };
      });
    const order: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press("Tab");
      const element = await focused();
      // The first Tab of a new page may leave the focus on the document itself.
      if (!element || element.tag === "body") continue;
      order.push(`${element.tag}:${element.name}`);
      // Every element reached by Tab shows a focus ring.
      expect(element.outline, order.at(-1)).not.toMatch(/^none|\b0px$/);
    }
    // The skip link comes first; the form's fields and button follow in reading order.
    expect(order[0]).toMatch(/^a:/);
    const form = order.filter((entry) => /^(input|button):/.test(entry));
    expect(form.slice(0, 3)).toEqual(["input:email", "input:password", "button:Sign in"]);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.type("owner@acme.example");
    await page.close();
  });
});
