/**
 * HTML for the console's server-rendered pages: every interpolated value is escaped unless it is
 * already `SafeHtml` (the result of `html`…`` or `raw()`), so a page cannot forget to escape.
 */

const SAFE = Symbol("SafeHtml");

export interface SafeHtml {
  readonly [SAFE]: true;
  readonly text: string;
}

type Interpolated = SafeHtml | string | number | boolean | null | undefined | readonly Interpolated[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function isSafe(value: unknown): value is SafeHtml {
  return typeof value === "object" && value !== null && SAFE in value;
}

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return "";
  if (isSafe(value)) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** Markup that is trusted as it is: only for text this code wrote itself, never for input. */
export function raw(text: string): SafeHtml {
  return { [SAFE]: true, text };
}

/** A template whose values are escaped; arrays are joined; null, undefined and false vanish. */
export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let text = strings[0] ?? "";
  for (let i = 0; i < values.length; i += 1) {
    text += render(values[i] as Interpolated) + (strings[i + 1] ?? "");
  }
  return raw(text);
}
