/**
 * `npm run docs:screenshots`: screenshots of every console page at 1280 and 390 px wide, into
 * docs/console/. Drives a real server in Debian's Chromium the way the browser test does, with
 * example data made through the console itself.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../test/browser.ts";
import { acceptInvitation, signIn, startConsoleServer } from "../test/console-tour.ts";
import { ROOT } from "../test/process.ts";

const OUT = join(ROOT, "docs", "console");
const WIDTHS = [1280, 390] as const;

const consoleServer = await startConsoleServer();
const browser = await launchChromium();
const taken: string[] = [];
try {
  mkdirSync(OUT, { recursive: true });
  const { origin, cli } = consoleServer;
  const accountId = (await cli(["admin", "accounts", "create", "--name", "Acme Payments"]))
    .account_id as string;
  const invited = await cli([
    "admin",
    "users",
    "invite",
    accountId,
    "--email",
    "owner@acme.example",
    "--role",
    "owner",
  ]);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const shoot = async (name: string, target: Page = page): Promise<void> => {
    for (const width of WIDTHS) {
      await target.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      const file = `${name}-${width}.png`;
      await target.screenshot({ path: join(OUT, file), fullPage: true });
      taken.push(file);
    }
    await target.setViewportSize({ width: 1280, height: 800 });
  };

  const { totp } = await acceptInvitation(page, invited.invitation_url as string, (p, name) =>
    name === "recovery-codes" || name === "two-factor-enrol" || name === "invitation"
      ? shoot(name, p)
      : Promise.resolve(),
  );
  const account = `${origin}/console/accounts/${accountId}`;

  // Example data, made through the pages themselves.
  await page.goto(`${account}/keys`);
  for (const description of ["checkout service", "refunds worker", "reporting export"]) {
    await page.goto(`${account}/keys`);
    await page.getByLabel("Description", { exact: true }).fill(description);
    await page.getByRole("button", { name: "Generate new API key" }).click();
  }
  await shoot("key-generated");
  await page.goto(`${account}/clients`);
  await page.getByLabel("Description", { exact: true }).fill("web checkout");
  await page.getByRole("button", { name: "Create Client ID" }).click();
  await page.goto(`${account}/clients`);
  await page.getByLabel("Origin", { exact: true }).fill("shop.acme.example");
  await page.getByRole("button", { name: "Add origin" }).click();

  for (const section of ["keys", "clients", "security", "audit", "webhooks", "users"]) {
    await page.goto(`${account}/${section}`);
    await shoot(section);
  }
  await page.goto(`${origin}/console/accounts`);
  await shoot("accounts");

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, origin, "owner@acme.example", totp, (p, name) =>
    name === "sign-in" || name === "two-factor" ? shoot(name, p) : Promise.resolve(),
  );

  const operator = await cli(["admin", "operators", "invite", "--email", "support@provider.example"]);
  const operatorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const operatorPage = await operatorContext.newPage();
  await acceptInvitation(operatorPage, operator.invitation_url as string);
  await operatorPage.goto(`${origin}/console/operator?q=Acme`);
  await shoot("operator", operatorPage);
  await operatorPage.goto(`${origin}/console/operator/accounts/${accountId}`);
  await shoot("operator-account", operatorPage);
  process.stdout.write(`${taken.length} screenshots in docs/console/:\n${taken.join("\n")}\n`);
} finally {
  await browser.close();
  await consoleServer.close();
}
