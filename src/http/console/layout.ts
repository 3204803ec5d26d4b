import type { FastifyRequest } from "fastify";
import { type ConsoleCapability, roleMay } from "../../domain/console-roles.ts";
import type { ConsoleSession } from "../../domain/console-user.ts";
import type { AppError } from "../../domain/errors.ts";
import type { Account } from "../../domain/types.ts";
import { assetUrl } from "./assets.ts";
import { csrfField, formError, pathSegment } from "./forms.ts";
import { html, type SafeHtml } from "./html.ts";

export type ConsoleSection =
  | "keys"
  | "clients"
  | "security"
  | "audit"
  | "webhooks"
  | "users"
  | "accounts"
  | "operator";

const PRODUCT = "Partner console";

/** Where the console's pages live: every URL under it answers HTML, errors included. */
export const CONSOLE_PREFIX = "/console/";

/** The console's Content-Security-Policy: nothing inline, nothing from elsewhere. */
export const CONSOLE_CSP = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
  "base-uri": ["'none'"],
};

/** `CONSOLE_CSP` as a header value, for the answers sent outside the console's scope. */
export function consoleCspHeader(): string {
  return Object.entries(CONSOLE_CSP)
    .map(([directive, sources]) => `${directive} ${sources.join(" ")}`)
    .join("; ");
}

/** The account pages, in the order of the account's navigation, and what a role needs to see each. */
const ACCOUNT_SECTIONS: readonly { section: ConsoleSection; label: string; needs: ConsoleCapability }[] = [
  { section: "keys", label: "API keys", needs: "read" },
  { section: "clients", label: "Client IDs and origins", needs: "read" },
  { section: "security", label: "Security", needs: "read" },
  { section: "audit", label: "Audit log", needs: "read" },
  { section: "webhooks", label: "Webhooks", needs: "read" },
  { section: "users", label: "Users", needs: "users" },
];

const KIND_LABEL: Record<Account["kind"], string> = {
  ACQUIRING_PARTNER: "Acquiring Partner",
  PARTNER_ACCOUNT: "Partner Account",
};

/** Where a signed-in user starts: operators at the account search, everyone else at their accounts. */
export function homeOf(session: Pick<ConsoleSession, "user">): string {
  return session.user.role === "operator" ? "/console/operator" : "/console/accounts";
}

function current(active: boolean): SafeHtml | null {
  return active ? html` aria-current="page"` : null;
}

function siteHeader(request: FastifyRequest, section: ConsoleSection | undefined): SafeHtml {
  const session = request.consoleSession;
  const signedIn = session?.stage === "SIGNED_IN" ? session : null;
  const home = signedIn ? homeOf(signedIn) : "/console/accounts";
  const nav = signedIn
    ? html`<nav aria-label="Console"><ul>${
        signedIn.user.role === "operator"
          ? html`<li><a href="/console/operator"${current(section === "operator")}>Accounts</a></li>`
          : html`<li><a href="/console/accounts"${current(section === "accounts")}>Accounts</a></li>`
      }</ul></nav>`
    : null;
  const who = session
    ? html`<p class="who"><span class="visually-hidden">Signed in as </span>${session.user.email}${
        signedIn ? html` <span class="muted">(${signedIn.user.role})</span>` : null
      }</p>
<form method="post" action="/console/sign-out">${csrfField(request)}<button type="submit" class="secondary">Sign out</button></form>`
    : null;
  return html`<div class="site-header">
<p class="brand"><a href="${session ? home : "/console/sign-in"}">${PRODUCT}</a></p>
${nav}
${who}
</div>`;
}

function accountBar(
  request: FastifyRequest,
  account: Account,
  section: ConsoleSection | undefined,
): SafeHtml {
  const role = request.consoleSession?.user.role;
  const base = `/console/accounts/${pathSegment(account.accountId)}`;
  const links = ACCOUNT_SECTIONS.filter((s) => role !== undefined && roleMay(role, s.needs)).map(
    (s) => html`<li><a href="${base}/${s.section}"${current(section === s.section)}>${s.label}</a></li>`,
  );
  const support =
    role !== undefined && roleMay(role, "operate")
      ? html`<li><a href="/console/operator/accounts/${pathSegment(account.accountId)}"${current(
          section === "operator",
        )}>Support actions</a></li>`
      : null;
  return html`<div class="account-bar">
<p><strong>${account.name}</strong> <span class="muted">${KIND_LABEL[account.kind]}, <code>${account.accountId}</code>${
    account.suspension ? html`, <span class="status status-suspended">suspended</span>` : null
  }</span></p>
<nav class="account-nav" aria-label="Account"><ul>${links}${support}</ul></nav>
</div>`;
}

/**
 * A whole console document: the header (product, the user's email and a Sign out form), the
 * account's name and navigation when the page is about an account (hiding what the role may not
 * see), and `body` as the main landmark. The body brings the page's one `<h1>`; `title` names the
 * document in the browser's tab.
 */
export function consolePage(
  request: FastifyRequest,
  input: { title: string; account?: Account; section?: ConsoleSection; body: SafeHtml },
): string {
  const title = input.account
    ? `${input.title} · ${input.account.name} · ${PRODUCT}`
    : `${input.title} · ${PRODUCT}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<link rel="stylesheet" href="${assetUrl("console.css")}">
<script src="${assetUrl("console.js")}" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header>
${siteHeader(request, input.section)}
${input.account ? accountBar(request, input.account, input.section) : null}
</header>
<main id="main" tabindex="-1">
${input.body}
</main>
<footer class="site-footer"><p>Times are shown in your time zone when scripts run; hover or focus a time for its UTC value.</p><p id="copy-status" class="visually-hidden" role="status" aria-live="polite"></p></footer>
</body>
</html>
`.text;
}

const ERROR_TITLES: Record<number, string> = {
  400: "Check your input",
  401: "Sign in required",
  403: "Not allowed",
  404: "Page not found",
  409: "Not possible right now",
  410: "Link no longer valid",
  413: "Too much data",
  415: "Unsupported form",
  429: "Too many attempts",
  503: "Temporarily unavailable",
};

/** The page of an error: what happened in the API's words, and the way back. */
export function consoleErrorPage(request: FastifyRequest, error: AppError): string {
  const title =
    ERROR_TITLES[error.status] ?? (error.status >= 500 ? "Something went wrong" : "Request refused");
  const session = request.consoleSession;
  const back = !session
    ? html`<a href="/console/sign-in">Go to the sign-in page</a>`
    : session.stage !== "SIGNED_IN"
      ? html`<a href="/console/">Continue signing in</a>`
      : html`<a href="/console/">Go to your accounts</a>`;
  return consolePage(request, {
    title,
    body: html`<h1>${title}</h1>
${formError(error)}
<p>${back}</p>`,
  });
}
