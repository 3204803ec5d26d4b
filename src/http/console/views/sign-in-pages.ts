import type { FastifyRequest } from "fastify";
import type { AppError } from "../../../domain/errors.ts";
import { copyButton, csrfField, formError, notice, pathSegment, time } from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";

/*
 * The pages of signing in: sign-in, the invitation's password, the second factor's enrolment (with
 * its recovery codes) and its verification. Field names are the ones the browser tests use.
 */

const PASSWORD_HINT = "At least 12 characters. Not a commonly used password, and not your email address.";

function invalid(error: AppError | null | undefined, field: string): SafeHtml | null {
  if (!error) return null;
  const named = error.validationErrors?.some((issue) => issue.parameter === field) ?? false;
  return named ? html` aria-invalid="true"` : null;
}

export function signInPage(
  request: FastifyRequest,
  input: { email?: string; error?: AppError | null; signedOut?: boolean },
): SafeHtml {
  return html`<div class="narrow">
<h1>Sign in</h1>
${input.signedOut ? notice("success", "You have signed out.") : null}
${input.error ? formError(input.error) : null}
<form method="post" action="/console/sign-in" class="stacked">
${csrfField(request)}
<div class="field"><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${input.email ?? ""}"></div>
<div class="field"><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"></div>
<div><button type="submit">Sign in</button></div>
</form>
<p class="muted">Console users are invited by an owner of their account, or by the provider for the first owner. After your password you enter a code from your authenticator app.</p>
</div>`;
}

export function invitationPage(
  request: FastifyRequest,
  input: { token: string; email: string; expiresAt: Date; error?: AppError | null },
): SafeHtml {
  return html`<div class="narrow">
<h1>Set your password</h1>
<p>You were invited to the partner console as <strong>${input.email}</strong>. This link works once and expires ${time(input.expiresAt)}.</p>
${input.error ? formError(input.error) : null}
<form method="post" action="/console/invitations/${pathSegment(input.token)}" class="stacked">
${csrfField(request)}
<div class="field"><label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" readonly value="${input.email}"></div>
<div class="field"><label for="password">Password</label>
<span id="password-hint" class="hint">${PASSWORD_HINT}</span>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="256" aria-describedby="password-hint"${invalid(input.error, "password")}></div>
<div class="field"><label for="password_confirmation">Confirm password</label>
<input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" required maxlength="256"${invalid(input.error, "password_confirmation")}></div>
<div><button type="submit">Set password</button></div>
</form>
<p class="muted">Next you turn on two-factor sign-in with an authenticator app.</p>
</div>`;
}

/** The TOTP secret in groups of four, as authenticator apps show and accept it. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export function enrolmentPage(
  request: FastifyRequest,
  input: { secret: string; qrSvg: SafeHtml; error?: AppError | null },
): SafeHtml {
  return html`<div class="narrow">
<h1>Turn on two-factor sign-in</h1>
${
  input.error
    ? html`${formError(input.error)}<p>Check the time on your device and enter the code your app shows now; the image below is the same as before.</p>`
    : null
}
<h2>1. Add the console to your authenticator app</h2>
<p>Scan this image with an authenticator app (any app for time-based one-time passwords).</p>
<figure>${input.qrSvg}</figure>
<p>Or enter this setup key by hand:</p>
<code id="totp-secret" class="secret">${grouped(input.secret)}</code>
<p>${copyButton("totp-secret", "Copy setup key")}</p>
<h2>2. Enter the code the app shows</h2>
<form method="post" action="/console/two-factor/enrol" class="stacked">
${csrfField(request)}
<div class="field"><label for="code">Six-digit code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required maxlength="7"${invalid(input.error, "code")}></div>
<div><button type="submit">Turn on two-factor sign-in</button></div>
</form>
</div>`;
}

function recoveryText(codes: readonly string[]): string {
  return `Partner console recovery codes: each works once, instead of a code from your authenticator app.\n\n${codes.join("\n")}\n`;
}

export function recoveryCodesPage(input: { codes: readonly string[] }): SafeHtml {
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(recoveryText(input.codes))}`;
  return html`<div class="narrow">
<h1>Save your recovery codes</h1>
${notice("success", "Two-factor sign-in is on.")}
<p>If you lose your authenticator app, each of these codes signs you in once in its place. They are shown only now: keep them in your password manager or print them.</p>
<ol id="recovery-codes" class="codes">${input.codes.map((code) => html`<li>${code}</li>`)}</ol>
<p class="actions">${copyButton("recovery-codes", "Copy codes")}<a class="button secondary" download="recovery-codes.txt" href="${download}">Download as .txt</a></p>
<p><a class="button" href="/console/accounts">Continue</a></p>
</div>`;
}

export function secondFactorPage(request: FastifyRequest, input: { error?: AppError | null }): SafeHtml {
  return html`<div class="narrow">
<h1>Two-factor sign-in</h1>
${input.error ? formError(input.error) : null}
<form method="post" action="/console/two-factor" class="stacked">
${csrfField(request)}
<div class="field"><label for="code">Code</label>
<span id="code-hint" class="hint">The six-digit code from your authenticator app, or one of your recovery codes.</span>
<input id="code" name="code" type="text" autocomplete="one-time-code" required maxlength="64" aria-describedby="code-hint"${invalid(input.error, "code")}></div>
<div><button type="submit">Verify</button></div>
</form>
</div>`;
}
