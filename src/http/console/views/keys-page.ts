import { canRotate, DEFAULT_ROTATION_OVERLAP } from "../../../domain/lifecycle-policy.ts";
import {
  CREDENTIAL_STATUSES,
  type Credential,
  type CredentialStatus,
  ENVIRONMENTS,
  type Environment,
  ROTATION_ENDS,
} from "../../../domain/types.ts";
import { actionForm, copyButton, notice, tableWrap, time } from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";
import {
  type FormProblem,
  placeProblem,
  problemAt,
  queryString,
  selectField,
  statusPill,
  textDataUrl,
} from "./parts.ts";

/** The rotation overlaps the page offers (the API takes any ISO 8601 duration up to P30D). */
export const ROTATION_OVERLAPS: readonly (readonly [string, string])[] = [
  ["PT0S", "End the old key now"],
  ["PT1H", "1 hour"],
  [DEFAULT_ROTATION_OVERLAP, "24 hours"],
  ["P7D", "7 days"],
  ["P30D", "30 days"],
];

const ROTATION_END_TEXT: Record<(typeof ROTATION_ENDS)[number], string> = {
  AT_EXPIRY: "At the end of the overlap",
  WHEN_OLD_KEY_IDLE: "Earlier, once the old key goes quiet",
};

export interface KeysPageData {
  /** Base path of the account's pages: `/console/accounts/{id}/`. */
  base: string;
  csrf: SafeHtml;
  /** The user's role may change credentials: the forms and buttons are shown. */
  canChange: boolean;
  filters: { status?: CredentialStatus | undefined; environment?: Environment | undefined };
  keys: readonly Credential[];
  nextPageToken: string | null;
  notice?: string | null;
  problem?: FormProblem | null;
  /** What the generate form held when it was refused. */
  entered?: { description?: string | undefined; environment?: string | undefined };
}

/** What a credential's status says, with the reason when it has one: `DISABLED (ROTATED)`. */
export function statusText(credential: Pick<Credential, "status" | "statusReason">): string {
  return credential.statusReason ? `${credential.status} (${credential.statusReason})` : credential.status;
}

function filtersForm(data: KeysPageData): SafeHtml {
  return html`<form method="get" action="${data.base}keys" class="search" aria-label="Filter API keys">
${selectField({
  id: "filter-status",
  name: "status",
  label: "Status",
  options: [["", "Any status"], ...CREDENTIAL_STATUSES.map((s) => [s, s] as const)],
  selected: data.filters.status,
})}
${selectField({
  id: "filter-environment",
  name: "environment",
  label: "Environment",
  options: [["", "Any environment"], ...ENVIRONMENTS.map((e) => [e, e] as const)],
  selected: data.filters.environment,
})}
<button type="submit">Filter</button>
</form>
${problemAt(data.problem, "filters")}`;
}

function keyActions(data: KeysPageData, key: Credential): SafeHtml | null {
  if (!data.canChange || key.status === "DELETED") return null;
  const id = key.credentialId;
  const path = `${data.base}keys/${encodeURIComponent(id)}`;
  const rotatable = canRotate(key);
  return html`<div class="actions">
${
  key.status === "ACTIVE"
    ? actionForm({
        action: `${path}/disable`,
        label: "Disable",
        accessibleLabel: `Disable ${id}`,
        csrf: data.csrf,
        variant: "danger",
      })
    : actionForm({
        action: `${path}/enable`,
        label: "Enable",
        accessibleLabel: `Enable ${id}`,
        csrf: data.csrf,
      })
}
${problemAt(data.problem, `disable:${id}`)}${problemAt(data.problem, `enable:${id}`)}
${
  rotatable
    ? html`<details${data.problem?.form === `rotate:${id}` ? html` open` : null}>
<summary>Rotate…</summary>
<form method="post" action="${path}/rotate" class="inline">${data.csrf}
${selectField({ id: `overlap-${id}`, name: "overlap", label: "Old key keeps working for", options: ROTATION_OVERLAPS, selected: DEFAULT_ROTATION_OVERLAP })}
${selectField({ id: `end-${id}`, name: "end_overlap", label: "Overlap ends", options: ROTATION_ENDS.map((e) => [e, ROTATION_END_TEXT[e]] as const), selected: "AT_EXPIRY" })}
<button type="submit" aria-label="Rotate ${id}">Rotate</button>
</form>
${problemAt(data.problem, `rotate:${id}`)}
</details>`
    : problemAt(data.problem, `rotate:${id}`)
}
<details${data.problem?.form === `description:${id}` ? html` open` : null}>
<summary>Edit description</summary>
<form method="post" action="${path}/description" class="inline">${data.csrf}
<div class="field"><label for="description-${id}">Description of ${id}</label>
<input id="description-${id}" name="description" value="${key.description}" maxlength="100" autocomplete="off"></div>
<button type="submit">Save description</button>
</form>
${problemAt(data.problem, `description:${id}`)}
</details>
</div>`;
}

function keyRow(data: KeysPageData, key: Credential): SafeHtml {
  return html`<tr id="key-${key.credentialId}">
<td><code>${key.credentialId}</code>${key.rotatedFrom ? html`<br><small>replaces <code>${key.rotatedFrom}</code></small>` : null}</td>
<td>${key.description || html`<span class="muted">none</span>`}</td>
<td>${statusPill(key.status, key.statusReason)}</td>
<td>${key.environment}</td>
<td>${time(key.createdAt)}</td>
<td><code>${key.createdBy}</code></td>
<td>${key.lastUsedAt ? time(key.lastUsedAt) : html`<span class="muted">never</span>`}</td>
<td>${key.expiresAt ? time(key.expiresAt) : html`<span class="muted">no end</span>`}</td>
${data.canChange ? html`<td>${keyActions(data, key)}</td>` : null}
</tr>`;
}

function keyTable(data: KeysPageData): SafeHtml {
  if (data.keys.length === 0) return html`<p>No API keys match.</p>`;
  const next = data.nextPageToken
    ? html`<p><a href="${data.base}keys${queryString({ ...data.filters, page_token: data.nextPageToken })}">Next page</a></p>`
    : null;
  return html`${tableWrap(
    "API keys",
    html`<table class="list">
<caption>API keys, newest first</caption>
<thead><tr><th scope="col">ID</th><th scope="col">Description</th><th scope="col">Status</th><th scope="col">Environment</th><th scope="col">Created</th><th scope="col">Created by</th><th scope="col">Last used</th><th scope="col">Expires</th>${data.canChange ? html`<th scope="col">Actions</th>` : null}</tr></thead>
<tbody>${data.keys.map((key) => keyRow(data, key))}</tbody>
</table>`,
  )}${next}`;
}

function generateForm(data: KeysPageData): SafeHtml | null {
  if (!data.canChange) return null;
  return html`<section aria-labelledby="generate-heading">
<h2 id="generate-heading">Generate new API key</h2>
<form method="post" action="${data.base}keys" class="stacked">${data.csrf}
<div class="field"><label for="new-key-description">Description</label>
<input id="new-key-description" name="description" maxlength="100" autocomplete="off" value="${data.entered?.description ?? ""}" aria-describedby="new-key-description-hint">
<p id="new-key-description-hint" class="hint">What the key is for: letters, digits, space and - : ; . , _ (at most 100).</p></div>
${selectField({
  id: "new-key-environment",
  name: "environment",
  label: "Environment",
  options: ENVIRONMENTS.map((e) => [e, e] as const),
  selected: data.entered?.environment ?? "LIVE",
})}
<div><button type="submit">Generate new API key</button></div>
</form>
${problemAt(data.problem, "generate")}
</section>`;
}

/** The API keys page: filters, the list with each key's actions, and the form that generates one. */
export function keysPage(data: KeysPageData): SafeHtml {
  return placeProblem(
    html`<h1>API keys</h1>
${data.notice ? notice("success", data.notice) : null}
${generateForm(data)}
<section aria-labelledby="list-heading">
<h2 id="list-heading">Your API keys</h2>
${filtersForm(data)}
${keyTable(data)}
</section>`,
    data.problem,
  );
}

export interface NewKeyPageData {
  base: string;
  accountId: string;
  credential: Credential;
  apiKey: string;
  brand: string;
  /** After a rotation: the old key as it is now (its status, its last use, when it ends). */
  predecessor?: Credential | null;
}

/** The new key, shown once: copy it, or download it as a text file. */
export function newKeyPage(data: NewKeyPageData): SafeHtml {
  const file = textDataUrl(
    `account_id=${data.accountId}\ncredential_id=${data.credential.credentialId}\nenvironment=${data.credential.environment}\napi_key=${data.apiKey}\n`,
  );
  const old = data.predecessor;
  return html`<h1>${old ? "API key rotated" : "New API key"}</h1>
${notice("success", "Copy the key now: it is shown only this once and cannot be shown again.")}
<p>Key <code>${data.credential.credentialId}</code> (${data.credential.environment}${data.credential.description ? `, ${data.credential.description}` : ""}):</p>
<pre class="secret"><code id="new-api-key">${data.apiKey}</code></pre>
<p class="actions">
${copyButton("new-api-key")}
<a class="button" download="${data.brand}-api-key-${data.credential.credentialId}.txt" href="${file}">Download as .txt</a>
</p>
<p>Send it as <code>Authorization: Basic &lt;api_key&gt;</code>.</p>
${
  old
    ? html`<section aria-labelledby="old-key-heading">
<h2 id="old-key-heading">The old key</h2>
<dl class="facts">
<dt>ID</dt><dd><code>${old.credentialId}</code></dd>
<dt>Status</dt><dd>${statusText(old)}</dd>
<dt>Works until</dt><dd>${old.expiresAt ? time(old.expiresAt) : "now ended"}</dd>
<dt>Last used</dt><dd>${old.lastUsedAt ? time(old.lastUsedAt) : "never"}</dd>
</dl>
<p>Move your services to the new key; the list shows the old key's last use until it goes quiet.</p>
</section>`
    : null
}
<p><a href="${data.base}keys">Back to API keys</a></p>`;
}
