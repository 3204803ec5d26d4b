import type { FastifyRequest } from "fastify";
import type { AppError } from "../../domain/errors.ts";
import { html, type SafeHtml } from "./html.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The console's CSRF token for this request's forms (made on first use; sets its cookie). */
    consoleCsrfToken: (() => string) | null;
  }
}

/**
 * A value as one segment of a console path: percent-encoded, except the `:` and `@` that account
 * ids and emails hold (RFC 3986 allows them in a path segment), so addresses stay readable.
 */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ":").replace(/%40/g, "@");
}

/** The hidden `_csrf` input every console form carries; the session scope checks it on each POST. */
export function csrfField(request: FastifyRequest): SafeHtml {
  const token = request.consoleCsrfToken?.();
  if (!token) throw new Error("csrfField used outside the console's scope");
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

function utcText(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * A point in time: UTC in the markup (the page's script rewrites the text to the viewer's time
 * zone and keeps the UTC value in `title`); "never" for null.
 */
export function time(date: Date | null): SafeHtml {
  if (date === null) return html`<span class="muted">never</span>`;
  const iso = date.toISOString();
  return html`<time datetime="${iso}" title="${iso} UTC">${utcText(date)}</time>`;
}

/** A message at the top of a form or page: success is announced politely, errors at once. */
export function notice(kind: "success" | "error", text: string | SafeHtml): SafeHtml {
  return kind === "success"
    ? html`<div class="notice notice-success" role="status"><p>${text}</p></div>`
    : html`<div class="notice notice-error" role="alert"><p>${text}</p></div>`;
}

/** An error the service answered with: its message, and each invalid field's message. */
export function formError(error: AppError): SafeHtml {
  const issues = (error.validationErrors ?? []).filter((issue) => !error.message.endsWith(issue.message));
  return html`<div class="notice notice-error" role="alert"><p>${error.message}</p>${
    issues.length > 0 ? html`<ul>${issues.map((issue) => html`<li>${issue.message}</li>`)}</ul>` : ""
  }</div>`;
}

/** A text field of the posted form as it was typed (for the form shown again); undefined when absent or sent twice. */
export function enteredText(request: FastifyRequest, name: string): string | undefined {
  const body = request.body;
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** One field of a posted form: a string (trimmed unless `raw`), "" when absent or sent twice. */
export function formField(request: FastifyRequest, name: string, options: { raw?: boolean } = {}): string {
  const value = enteredText(request, name) ?? "";
  return options.raw ? value : value.trim();
}

/** A button that copies the text of the element with this id (shown only when the script runs). */
export function copyButton(targetId: string, label = "Copy"): SafeHtml {
  return html`<button type="button" class="secondary" data-copy="${targetId}" hidden>${label}</button>`;
}

/**
 * A one-button form that posts to `action` with the CSRF field and these hidden fields: the
 * console's way to Disable, Remove, Reactivate…
 */
export function actionForm(input: {
  action: string;
  label: string;
  /** The page's `csrfField`. */
  csrf: SafeHtml;
  /** Names the button for screen readers when the label alone is ambiguous in a table row. */
  accessibleLabel?: string;
  /** Said after the label to screen readers only (the row's object: " of ada@example.com"). */
  context?: string;
  fields?: Readonly<Record<string, string>>;
  variant?: "secondary" | "danger";
}): SafeHtml {
  const hidden = Object.entries(input.fields ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  return html`<form method="post" action="${input.action}" class="inline">${input.csrf}${hidden}<button type="submit"${
    input.variant ? html` class="${input.variant}"` : null
  }${input.accessibleLabel ? html` aria-label="${input.accessibleLabel}"` : null}>${input.label}${
    input.context ? html`<span class="visually-hidden"> ${input.context}</span>` : null
  }</button></form>`;
}

/** A table in a region that scrolls sideways on narrow screens, reachable by keyboard. */
export function tableWrap(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}
