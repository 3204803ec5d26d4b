import { MAX_ALLOWED_ORIGINS } from "../../../domain/allowed-origin.ts";
import { canRotate } from "../../../domain/lifecycle-policy.ts";
import { type AllowedOrigin, type Credential, ENVIRONMENTS } from "../../../domain/types.ts";
import { actionForm, copyButton, notice, tableWrap, time } from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";
import { type FormProblem, placeProblem, problemAt, selectField, statusPill } from "./parts.ts";

export interface ClientsPageData {
  base: string;
  csrf: SafeHtml;
  /** The user's role may change credentials and origins. */
  canChange: boolean;
  clients: readonly Credential[];
  origins: readonly AllowedOrigin[];
  notice?: string | null;
  problem?: FormProblem | null;
  entered?: {
    description?: string | undefined;
    environment?: string | undefined;
    origin?: string | undefined;
  };
}

function clientActions(data: ClientsPageData, client: Credential): SafeHtml | null {
  if (!data.canChange || client.status === "DELETED") return null;
  const id = client.credentialId;
  const path = `${data.base}keys/${encodeURIComponent(id)}`;
  const back = { return_to: "clients" };
  const rotatable = canRotate(client);
  return html`<div class="actions">
${
  client.status === "ACTIVE"
    ? actionForm({
        action: `${path}/disable`,
        label: "Disable",
        accessibleLabel: `Disable ${client.clientId ?? id}`,
        csrf: data.csrf,
        fields: back,
        variant: "danger",
      })
    : actionForm({
        action: `${path}/enable`,
        label: "Enable",
        accessibleLabel: `Enable ${client.clientId ?? id}`,
        csrf: data.csrf,
        fields: back,
      })
}
${
  rotatable
    ? actionForm({
        action: `${path}/rotate`,
        label: "Rotate",
        accessibleLabel: `Rotate ${client.clientId ?? id}`,
        csrf: data.csrf,
        fields: { ...back, overlap: "PT24H", end_overlap: "AT_EXPIRY" },
        variant: "secondary",
      })
    : null
}
</div>
${problemAt(data.problem, `disable:${id}`)}${problemAt(data.problem, `enable:${id}`)}${problemAt(data.problem, `rotate:${id}`)}`;
}

function clientRow(data: ClientsPageData, client: Credential): SafeHtml {
  const valueId = `client-id-${client.credentialId}`;
  return html`<tr>
<td><code id="${valueId}">${client.clientId ?? ""}</code> ${copyButton(valueId)}</td>
<td>${client.description || html`<span class="muted">none</span>`}</td>
<td>${statusPill(client.status, client.statusReason)}</td>
<td>${client.environment}</td>
<td>${time(client.createdAt)}</td>
<td>${time(client.lastUsedAt)}</td>
<td>${client.expiresAt ? time(client.expiresAt) : html`<span class="muted">no end</span>`}</td>
${data.canChange ? html`<td>${clientActions(data, client)}</td>` : null}
</tr>`;
}

function clientsSection(data: ClientsPageData): SafeHtml {
  const table =
    data.clients.length === 0
      ? html`<p>No Client IDs yet.</p>`
      : tableWrap(
          "Client IDs",
          html`<table>
<caption>Client IDs, newest first</caption>
<thead><tr><th scope="col">Client ID</th><th scope="col">Description</th><th scope="col">Status</th><th scope="col">Environment</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th>${data.canChange ? html`<th scope="col">Actions</th>` : null}</tr></thead>
<tbody>${data.clients.map((client) => clientRow(data, client))}</tbody>
</table>`,
        );
  const create = data.canChange
    ? html`<h3 id="create-client-heading">Create a Client ID</h3>
<form method="post" action="${data.base}clients" class="stacked" aria-labelledby="create-client-heading">${data.csrf}
<div class="field"><label for="new-client-description">Description</label>
<input id="new-client-description" name="description" maxlength="100" autocomplete="off" value="${data.entered?.description ?? ""}"></div>
${selectField({
  id: "new-client-environment",
  name: "environment",
  label: "Environment",
  options: ENVIRONMENTS.map((e) => [e, e] as const),
  selected: data.entered?.environment ?? "LIVE",
})}
<div><button type="submit">Create Client ID</button></div>
</form>
${problemAt(data.problem, "create-client")}`
    : null;
  return html`<section aria-labelledby="clients-heading">
<h2 id="clients-heading">Client IDs</h2>
<p>A Client ID is public: web pages send it from the origins allowed below.</p>
${table}
${create}
</section>`;
}

function originRow(data: ClientsPageData, origin: AllowedOrigin): SafeHtml {
  return html`<tr>
<td><code>${origin.scheme}://${origin.origin}</code></td>
<td>${time(origin.createdAt)}</td>
${
  data.canChange
    ? html`<td>${actionForm({
        action: `${data.base}clients/origins/${encodeURIComponent(origin.originId)}/remove`,
        label: "Remove",
        accessibleLabel: `Remove ${origin.origin}`,
        csrf: data.csrf,
        variant: "danger",
      })}${problemAt(data.problem, `remove-origin:${origin.originId}`)}</td>`
    : null
}
</tr>`;
}

function originsSection(data: ClientsPageData): SafeHtml {
  const table =
    data.origins.length === 0
      ? html`<p>No allowed origins yet: Client IDs cannot be used from any web page.</p>`
      : tableWrap(
          "Allowed origins",
          html`<table>
<caption>Allowed origins (${data.origins.length} of at most ${MAX_ALLOWED_ORIGINS})</caption>
<thead><tr><th scope="col">Origin</th><th scope="col">Added</th>${data.canChange ? html`<th scope="col">Actions</th>` : null}</tr></thead>
<tbody>${data.origins.map((origin) => originRow(data, origin))}</tbody>
</table>`,
        );
  const add = data.canChange
    ? html`<form method="post" action="${data.base}clients/origins" class="stacked" aria-labelledby="add-origin-heading">${data.csrf}
<h3 id="add-origin-heading">Add an origin</h3>
<div class="field"><label for="new-origin">Origin</label>
<input id="new-origin" name="origin" maxlength="300" autocomplete="off" inputmode="url" value="${data.entered?.origin ?? ""}" aria-describedby="new-origin-hint"${data.problem?.form === "add-origin" ? html` aria-invalid="true"` : null}>
<p id="new-origin-hint" class="hint">host[:port] without a scheme, such as shop.example.com or localhost:3000. localhost means http, everything else https; *.example.com covers its subdomains only; a bare * only for test accounts.</p></div>
<div><button type="submit">Add origin</button></div>
</form>
${problemAt(data.problem, "add-origin")}`
    : null;
  return html`<section aria-labelledby="origins-heading">
<h2 id="origins-heading">Allowed origins</h2>
${table}
${add}
</section>`;
}

/** Client IDs (create, copy, disable, enable, rotate) and the account's allowed web origins. */
export function clientsPage(data: ClientsPageData): SafeHtml {
  return placeProblem(
    html`<h1>Client IDs and allowed origins</h1>
${data.notice ? notice("success", data.notice) : null}
${clientsSection(data)}
${originsSection(data)}`,
    data.problem,
  );
}
