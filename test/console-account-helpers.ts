import type { LightMyRequestResponse } from "fastify";
import { Secret, TOTP } from "otpauth";
import type { ConsoleRole } from "../src/domain/console-roles.ts";
import { ConsoleClient } from "./console-client.ts";
import { type Harness, json, operator } from "./harness.ts";

/** The text of the element with this id (tags stripped, entities of the escaper decoded). */
export function textOf(page: string, id: string): string | null {
  const match = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(page);
  return match?.[1] === undefined ? null : decodeHtml(match[1].replace(/<[^>]+>/g, ""));
}

export function decodeHtml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/** The current TOTP code of a base32 secret at the harness's time. */
export function totpCode(h: Harness, secret: string): string {
  return new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, "")), digits: 6, period: 30 }).generate({
    timestamp: h.clock.now().getTime(),
  });
}

export const CONSOLE_PASSWORD = "correct horse battery staple 42";

/**
 * A console user of the account, signed in through the public flow: the operator invites them,
 * they set a password on the invitation page and turn on two-factor sign-in with a code computed
 * from the secret the page shows.
 */
export async function signedInConsoleUser(
  h: Harness,
  input: { accountId: string; email: string; role: Exclude<ConsoleRole, "operator"> },
): Promise<ConsoleClient> {
  const invited = await h.internal.inject({
    method: "POST",
    url: `/admin/v1/accounts/${encodeURIComponent(input.accountId)}/users`,
    headers: operator,
    payload: { email: input.email, role: input.role },
  });
  if (invited.statusCode !== 201) throw new Error(`invite: ${invited.statusCode} ${invited.body}`);
  return joinedByInvitation(h, invited);
}

/** An operator of the console, invited over the admin API and signed in like any user. */
export async function signedInConsoleOperator(h: Harness, email: string): Promise<ConsoleClient> {
  const invited = await h.internal.inject({
    method: "POST",
    url: "/admin/v1/operators/users",
    headers: operator,
    payload: { email },
  });
  if (invited.statusCode !== 201) throw new Error(`invite: ${invited.statusCode} ${invited.body}`);
  return joinedByInvitation(h, invited);
}

/** Password on the invitation page, then two-factor enrolment: ends signed in. */
async function joinedByInvitation(h: Harness, invited: LightMyRequestResponse): Promise<ConsoleClient> {
  const link = new URL(json<{ invitation_url: string }>(invited).invitation_url).pathname;
  const browser = new ConsoleClient(h.app);
  await browser.get(link);
  const accepted = await browser.post(link, {
    password: CONSOLE_PASSWORD,
    password_confirmation: CONSOLE_PASSWORD,
  });
  if (accepted.statusCode !== 303) throw new Error(`accept: ${accepted.statusCode} ${accepted.body}`);
  const enrol = await browser.get("/console/two-factor/enrol");
  const secret = textOf(enrol.body, "totp-secret");
  if (!secret) throw new Error(`enrol page: ${enrol.statusCode} ${enrol.body.slice(0, 500)}`);
  const done = await browser.post("/console/two-factor/enrol", { code: totpCode(h, secret) });
  if (done.statusCode !== 200) throw new Error(`enrol: ${done.statusCode} ${done.body.slice(0, 500)}`);
  return browser;
}
