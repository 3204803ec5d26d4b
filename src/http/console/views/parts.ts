import type { AppError } from "../../../domain/errors.ts";
import { formError } from "../forms.ts";
import { escapeHtml, html, raw, type SafeHtml } from "../html.ts";

/** A service's refusal of one form on the page, shown beside that form. */
export interface FormProblem {
  /** Which form: `generate`, or an action with its object (`disable:<credential id>`). */
  form: string;
  error: AppError;
}

/** The refusal, when it belongs to `form` (marked, so that `placeProblem` knows it is shown). */
export function problemAt(problem: FormProblem | null | undefined, form: string): SafeHtml | null {
  return problem?.form === form
    ? html`<div data-problem-for="${form}">${formError(problem.error)}</div>`
    : null;
}

/**
 * The page's body with the refusal shown: beside its form when the body has that form, else at the
 * top (an action on something the page no longer lists, say).
 */
export function placeProblem(body: SafeHtml, problem: FormProblem | null | undefined): SafeHtml {
  if (!problem || body.text.includes(`data-problem-for="${escapeHtml(problem.form)}"`)) return body;
  const [heading = "", rest = ""] = splitAfterHeading(body.text);
  return raw(
    `${heading}${html`<div data-problem-for="${problem.form}">${formError(problem.error)}</div>`.text}${rest}`,
  );
}

function splitAfterHeading(text: string): [string, string] {
  const end = text.indexOf("</h1>");
  return end === -1 ? ["", text] : [text.slice(0, end + 5), text.slice(end + 5)];
}

/** A labelled `<select>`; `selected` picks the option with that value. */
export function selectField(input: {
  id: string;
  name: string;
  label: string;
  options: readonly (readonly [value: string, text: string])[];
  selected?: string | undefined;
}): SafeHtml {
  const options = input.options.map(
    ([value, text]) =>
      html`<option value="${value}"${value === (input.selected ?? "") ? html` selected` : null}>${text}</option>`,
  );
  return html`<div class="field"><label for="${input.id}">${input.label}</label>
<select id="${input.id}" name="${input.name}">${options}</select></div>`;
}

/** A credential's status as a pill, with its reason when it has one: `DISABLED (ROTATED)`. */
export function statusPill(status: string, reason?: string | null): SafeHtml {
  const kind =
    status === "ACTIVE" || status === "VALID" || status === "SUCCEEDED" || status === "ALLOWED"
      ? "active"
      : status === "DISABLED" || status === "REVOKED" || status === "FAILED" || status === "DENIED"
        ? "disabled"
        : "other";
  return html`<span class="status status-${kind}">${reason ? `${status} (${reason})` : status}</span>`;
}

/** `…?name=value&…` of the values that are set. */
export function queryString(values: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A `data:` URL that downloads `text` as a plain-text file (the `download` attribute names it). */
export function textDataUrl(text: string): string {
  return `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
}
