import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { freePort, partnerctl, type ServerProcess, startServerProcess } from "./process.ts";

/**
 * What the console's browser test and its screenshots share: a real `partnerctl serve` whose public
 * URL is `http://localhost:PORT` (a secure context for Chromium, so the `Secure` session cookie is
 * kept over loopback HTTP), the operator's CLI against it, and the steps of a person's first
 * sign-in.
 */
export interface ConsoleServer {
  server: ServerProcess;
  /** `http://localhost:PORT`: where the console's pages and links are. */
  origin: string;
  /** `partnerctl ARGS --json` against this server; its parsed output. */
  cli(args: string[]): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export const CONSOLE_PASSWORD = "correct horse battery staple 42";

export async function startConsoleServer(env: Record<string, string> = {}): Promise<ConsoleServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "partner-credentials-console-"));
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const server = await startServerProcess({
    port,
    dataDir,
    env: { PUBLIC_URL: origin, ...env },
  });
  const connection = ["--url", server.internalUrl, "--data-dir", dataDir];
  return {
    server,
    origin,
    async cli(args) {
      const result = await partnerctl([...args, "--json", ...connection]);
      if (result.code !== 0) throw new Error(`partnerctl ${args.join(" ")} failed: ${result.stderr}`);
      return JSON.parse(result.stdout) as Record<string, string>;
    },
    async close() {
      if (server.child.exitCode === null) await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The authenticator app: RFC 6238 codes from the secret the enrolment page shows. */
export function totpOf(secret: string): TOTP {
  return new TOTP({ secret: secret.replace(/\s+/g, ""), digits: 6, period: 30, algorithm: "SHA1" });
}

/**
 * Opens an invitation, sets the password and turns on two-factor sign-in, calling `visited` on each
 * page on the way; ends on the page after "Continue". Returns the TOTP and the recovery codes.
 */
export async function acceptInvitation(
  page: Page,
  invitationUrl: string,
  visited: (page: Page, name: string) => Promise<void> = async () => {},
): Promise<{ totp: TOTP; recoveryCodes: string[] }> {
  await page.goto(invitationUrl);
  await visited(page, "invitation");
  await page.getByLabel("Password", { exact: true }).fill(CONSOLE_PASSWORD);
  await page.getByLabel(/confirm/i).fill(CONSOLE_PASSWORD);
  await page.getByRole("button", { name: "Set password" }).click();
  await page.waitForURL(/\/console\/two-factor\/enrol/);
  await visited(page, "two-factor-enrol");
  const totp = totpOf((await page.locator("#totp-secret").textContent()) ?? "");
  await page.getByLabel(/code/i).fill(totp.generate());
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await page.locator("#recovery-codes").waitFor();
  const recoveryCodes = (await page.locator("#recovery-codes li").allTextContents()).map((c) => c.trim());
  await visited(page, "recovery-codes");
  await page.getByRole("link", { name: "Continue" }).click();
  await page.waitForURL((url) => !url.pathname.includes("two-factor"));
  return { totp, recoveryCodes };
}

/** Signs in with the password, then the next TOTP code; ends on the page after verification. */
export async function signIn(
  page: Page,
  origin: string,
  email: string,
  totp: TOTP,
  visited: (page: Page, name: string) => Promise<void> = async () => {},
): Promise<void> {
  await page.goto(`${origin}/console/sign-in`);
  await visited(page, "sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(CONSOLE_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/console\/two-factor$/);
  await visited(page, "two-factor");
  // A code of the next period: the one of this period was used at enrolment and is refused again.
  await page.getByLabel(/code/i).fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL((url) => !url.pathname.includes("two-factor"));
}
