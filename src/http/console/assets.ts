import { createHash } from "node:crypto";

/**
 * The console's stylesheet and its one small script, kept as strings so that the compiled build
 * serves exactly what the sources say. Pages work without the script: it only adds copy buttons and
 * shows times in the viewer's time zone (the UTC value stays in the element's `title`).
 */

const CSS = `:root {
  --ink: #17120f;
  --muted: #4f4843;
  --paper: #ffffff;
  --wash: #f5f2ef;
  --line: #c9c1ba;
  --accent: #0b4fb3;
  --accent-ink: #ffffff;
  --danger: #a4161a;
  --danger-wash: #fde8e8;
  --success: #17622f;
  --success-wash: #e3f4e8;
  --focus: #0b4fb3;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 1rem;
  line-height: 1.5;
  color: var(--ink);
  background: var(--paper);
  overflow-wrap: anywhere;
}
a { color: var(--accent); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.skip-link {
  position: absolute; left: 0.5rem; top: -3rem; z-index: 10;
  padding: 0.5rem 1rem; background: var(--ink); color: var(--paper); border-radius: 0.25rem;
}
.skip-link:focus { top: 0.5rem; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.site-header {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem;
  padding: 0.75rem 1rem; border-bottom: 1px solid var(--line); background: var(--wash);
}
.site-header .brand { font-weight: 700; margin-right: auto; }
.site-header .brand a { color: var(--ink); text-decoration: none; }
.site-header nav ul, .account-nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; }
.who { color: var(--muted); font-size: 0.9375rem; }
.site-header form, .site-header p { margin: 0; }
.account-bar { padding: 0.75rem 1rem 0; border-bottom: 1px solid var(--line); }
.account-bar p { margin: 0 0 0.5rem; }
.account-nav a { display: inline-block; padding: 0.375rem 0.125rem 0.5rem; text-decoration: none; border-bottom: 3px solid transparent; }
.account-nav a[aria-current="page"] { color: var(--ink); font-weight: 600; border-bottom-color: var(--accent); }
main { display: block; max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
main:focus { outline: none; }
.narrow { max-width: 32rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.0625rem; margin: 1.5rem 0 0.5rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9375em; }
.secret {
  display: block; padding: 0.75rem 1rem; margin: 0.5rem 0; background: var(--wash);
  border: 1px solid var(--line); border-radius: 0.375rem; word-break: break-all; white-space: pre-wrap;
}
pre { max-width: 100%; overflow-x: auto; }
.muted { color: var(--muted); }
.site-footer { padding: 1rem; color: var(--muted); font-size: 0.875rem; border-top: 1px solid var(--line); }
form.stacked { display: grid; gap: 1rem; max-width: 32rem; margin: 1rem 0; }
form.inline, form.inline-form { display: inline-flex; flex-wrap: wrap; align-items: flex-end; gap: 0.5rem; margin: 0.125rem 0; }
.field { display: grid; gap: 0.25rem; }
form.stacked, .field { grid-template-columns: minmax(0, 1fr); }
label { font-weight: 600; }
.hint { color: var(--muted); font-size: 0.875rem; font-weight: 400; }
input[type="text"], input[type="email"], input[type="password"], input[type="search"], input[type="url"],
input[type="date"], input[type="datetime-local"], input:not([type]), select, textarea {
  width: 100%; min-height: 2.75rem; padding: 0.5rem 0.625rem; font: inherit; color: var(--ink);
  background: var(--paper); border: 1px solid #6f6760; border-radius: 0.375rem;
}
textarea { min-height: 8rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
form.inline input, form.inline select, form.inline-form input, form.inline-form select { width: auto; max-width: 100%; }
input[aria-invalid="true"] { border-color: var(--danger); border-width: 2px; }
button, .button {
  display: inline-flex; align-items: center; justify-content: center; min-height: 2.75rem;
  padding: 0.5rem 1rem; font: inherit; font-weight: 600; line-height: 1.2; text-decoration: none;
  color: var(--accent-ink); background: var(--accent); border: 2px solid var(--accent); border-radius: 0.375rem; cursor: pointer;
}
button:hover, .button:hover { background: #083b86; border-color: #083b86; }
button.secondary, .button.secondary { color: var(--accent); background: var(--paper); }
button.secondary:hover, .button.secondary:hover { background: var(--wash); }
button.danger { background: var(--danger); border-color: var(--danger); color: #ffffff; }
button.danger:hover { background: #7f1115; border-color: #7f1115; }
button.link { min-height: 0; padding: 0; color: var(--accent); background: none; border: 0; font-weight: 400; text-decoration: underline; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.notice { padding: 0.75rem 1rem; margin: 1rem 0; border-radius: 0.375rem; border-left: 4px solid; }
.notice p { margin: 0; }
.notice ul { margin: 0.5rem 0 0; padding-left: 1.25rem; }
.notice-success { background: var(--success-wash); border-color: var(--success); }
.notice-error { background: var(--danger-wash); border-color: var(--danger); }
.notice-warning { background: #fff4d6; border-color: #8a5a00; }
.table-wrap, .table-scroll { position: relative; overflow-x: auto; margin: 0.5rem 0 1.5rem; border: 1px solid var(--line); border-radius: 0.375rem; }
table { width: 100%; border-collapse: collapse; font-size: 0.9375rem; }
caption { text-align: left; font-weight: 600; padding: 0.5rem 0.75rem; }
th, td { padding: 0.5rem 0.75rem; text-align: left; vertical-align: top; border-top: 1px solid var(--line); }
thead th { background: var(--wash); border-top: 0; white-space: nowrap; }
th, td, td code { overflow-wrap: break-word; }
td button, td .button { white-space: nowrap; overflow-wrap: normal; }
td details summary { cursor: pointer; color: var(--accent); }
.status { white-space: nowrap; overflow-wrap: normal; display: inline-block; padding: 0 0.5rem; border-radius: 999px; font-size: 0.8125rem; font-weight: 600; border: 1px solid; }
.status-active { color: var(--success); background: var(--success-wash); }
.status-disabled, .status-suspended, .status-removed { color: var(--danger); background: var(--danger-wash); }
.status-other { color: var(--muted); background: var(--wash); }
dl.facts { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.qr { display: block; width: 12rem; max-width: 100%; height: auto; background: #ffffff; }
ol.codes { columns: 2; column-gap: 2rem; padding-left: 1.5rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.search, .filters { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; margin: 1rem 0; }
.search .field, .filters .field { flex: 1 1 14rem; }
.filters label { display: block; }
@media (max-width: 40rem) {
  h1 { font-size: 1.5rem; }
  main { padding: 1rem 0.75rem 2rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: 0.5rem; }
  ol.codes { columns: 1; }
  form.inline, form.inline-form { display: flex; }
}
@media (prefers-reduced-motion: no-preference) { html { scroll-behavior: smooth; } }
@media (forced-colors: active) { .status, .notice { border: 1px solid CanvasText; } }
`;

const JS = `(function () {
  "use strict";
  var format;
  try {
    format = new Intl.DateTimeFormat(undefined, {
      year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
  } catch (e) {
    format = null;
  }
  function localTimes() {
    if (!format) return;
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) continue;
      if (!el.title) el.title = el.textContent;
      el.textContent = format.format(when);
    }
  }
  function targetOf(button) {
    var ref = button.getAttribute("data-copy") || "";
    return ref.charAt(0) === "#" ? document.querySelector(ref) : document.getElementById(ref);
  }
  function announce(text) {
    var region = document.getElementById("copy-status");
    if (region) region.textContent = text;
  }
  function copyButtons() {
    if (!navigator.clipboard || !window.isSecureContext) return;
    var buttons = document.querySelectorAll("button[data-copy]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
    document.addEventListener("click", function (event) {
      var button = event.target && event.target.closest ? event.target.closest("button[data-copy]") : null;
      if (!button) return;
      var target = targetOf(button);
      if (!target) return;
      var text = ("value" in target && target.value) ? target.value : target.textContent;
      var label = button.getAttribute("data-label") || button.textContent;
      button.setAttribute("data-label", label);
      navigator.clipboard.writeText(text.trim()).then(function () {
        button.textContent = "Copied";
        announce("Copied to the clipboard");
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        announce("Could not copy: select the text and copy it by hand");
      });
    });
  }
  function start() {
    localTimes();
    copyButtons();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
`;

export interface ConsoleAsset {
  body: string;
  contentType: string;
  /** Strong validator of the body: the first 16 hex digits of its SHA-256, quoted. */
  etag: string;
  /** The body's digest, for the `?v=` that busts caches when it changes. */
  version: string;
}

function asset(body: string, contentType: string): ConsoleAsset {
  const version = createHash("sha256").update(body).digest("hex").slice(0, 16);
  return { body, contentType, etag: `"${version}"`, version };
}

/** The console's static files by name, as served under `/console/assets/`. */
export const CONSOLE_ASSETS: Readonly<Record<string, ConsoleAsset>> = Object.freeze({
  "console.css": asset(CSS, "text/css; charset=utf-8"),
  "console.js": asset(JS, "text/javascript; charset=utf-8"),
});

/** The address of an asset with its version, so that a new build is never served from an old cache. */
export function assetUrl(name: "console.css" | "console.js"): string {
  return `/console/assets/${name}?v=${CONSOLE_ASSETS[name]?.version ?? "0"}`;
}
