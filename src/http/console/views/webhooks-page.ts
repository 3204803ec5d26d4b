import type { WebhookDelivery, WebhookEndpoint } from "../../../domain/webhook-endpoint.ts";
import { WEBHOOK_EVENT_TYPES } from "../../../domain/webhook-events.ts";
import { actionForm, copyButton, notice, tableWrap, time } from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";
import { type FormProblem, placeProblem, problemAt, queryString, statusPill } from "./parts.ts";

export interface WebhooksPageData {
  base: string;
  csrf: SafeHtml;
  /** The user's role may manage webhook endpoints. */
  canChange: boolean;
  endpoints: readonly WebhookEndpoint[];
  now: Date;
  notice?: string | null;
  problem?: FormProblem | null;
  entered?: { url?: string | undefined; description?: string | undefined; events?: readonly string[] };
}

function endpointRow(data: WebhooksPageData, endpoint: WebhookEndpoint): SafeHtml {
  const id = endpoint.endpointId;
  const path = `${data.base}webhooks/${encodeURIComponent(id)}`;
  const overlap =
    endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > data.now.getTime()
      ? endpoint.previousSecretExpiresAt
      : null;
  const actions = data.canChange
    ? html`<div class="actions">
${endpoint.status === "ACTIVE" ? actionForm({ action: `${path}/test`, label: "Send test", accessibleLabel: `Send a test message to ${endpoint.url}`, csrf: data.csrf, variant: "secondary" }) : null}
${actionForm({ action: `${path}/rotate-secret`, label: "Rotate secret", accessibleLabel: `Rotate the secret of ${endpoint.url}`, csrf: data.csrf, variant: "secondary" })}
${actionForm({ action: `${path}/delete`, label: "Delete", accessibleLabel: `Delete ${endpoint.url}`, csrf: data.csrf, variant: "danger" })}
</div>
${problemAt(data.problem, `test:${id}`)}${problemAt(data.problem, `rotate-secret:${id}`)}${problemAt(data.problem, `delete:${id}`)}`
    : null;
  return html`<tr>
<td><code>${endpoint.url}</code>${endpoint.description ? html`<br>${endpoint.description}` : null}</td>
<td>${statusPill(endpoint.status)}${endpoint.disabledAt ? html`<br><small>since ${time(endpoint.disabledAt)}</small>` : null}</td>
<td><ul class="events">${endpoint.events.map((e) => html`<li><code>${e}</code></li>`)}</ul></td>
<td>${time(endpoint.createdAt)}${overlap ? html`<br><small>old secret signs until ${time(overlap)}</small>` : null}</td>
<td><a href="${path}/deliveries" aria-label="Deliveries to ${endpoint.url}">Deliveries</a>${actions}</td>
</tr>`;
}

function createForm(data: WebhooksPageData): SafeHtml | null {
  if (!data.canChange) return null;
  const chosen = new Set(data.entered?.events ?? []);
  return html`<section aria-labelledby="create-webhook-heading">
<h2 id="create-webhook-heading">Add an endpoint</h2>
<form method="post" action="${data.base}webhooks" class="stacked">${data.csrf}
<div class="field"><label for="webhook-url">URL</label>
<input id="webhook-url" name="url" type="url" maxlength="2000" autocomplete="off" value="${data.entered?.url ?? ""}" aria-describedby="webhook-url-hint">
<p id="webhook-url-hint" class="hint">https, and not a private, loopback, link-local or metadata address.</p></div>
<div class="field"><label for="webhook-description">Description</label>
<input id="webhook-description" name="description" maxlength="100" autocomplete="off" value="${data.entered?.description ?? ""}"></div>
<fieldset><legend>Events</legend>
${WEBHOOK_EVENT_TYPES.map(
  (type) =>
    html`<div><label><input type="checkbox" name="events" value="${type}"${chosen.has(type) ? html` checked` : null}> <code>${type}</code></label></div>`,
)}
</fieldset>
<div><button type="submit">Add endpoint</button></div>
</form>
${problemAt(data.problem, "create")}
</section>`;
}

/** The account's webhook endpoints: add, send a test, rotate the secret, delete; links to deliveries. */
export function webhooksPage(data: WebhooksPageData): SafeHtml {
  const table =
    data.endpoints.length === 0
      ? html`<p>No webhook endpoints yet.</p>`
      : tableWrap(
          "Webhook endpoints",
          html`<table>
<caption>Webhook endpoints, oldest first</caption>
<thead><tr><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Events</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
<tbody>${data.endpoints.map((endpoint) => endpointRow(data, endpoint))}</tbody>
</table>`,
        );
  return placeProblem(
    html`<h1>Webhooks</h1>
${data.notice ? notice("success", data.notice) : null}
<p>Deliveries are signed by the Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature) with the endpoint's secret.</p>
${table}
${createForm(data)}`,
    data.problem,
  );
}

export interface WebhookSecretPageData {
  base: string;
  endpoint: WebhookEndpoint;
  secret: string;
  /** After a rotation: until when the old secret signs beside the new one. */
  rotated: boolean;
  now: Date;
}

/** The signing secret, shown once: at creation and after a rotation. */
export function webhookSecretPage(data: WebhookSecretPageData): SafeHtml {
  const overlap = data.endpoint.previousSecretExpiresAt;
  return html`<h1>${data.rotated ? "Webhook secret rotated" : "Webhook endpoint added"}</h1>
${notice("success", "Copy the signing secret now: it is shown only this once and cannot be shown again.")}
<p>Endpoint <code>${data.endpoint.url}</code>:</p>
<pre class="secret"><code id="webhook-secret">${data.secret}</code></pre>
<p class="actions">${copyButton("webhook-secret")}</p>
${
  data.rotated && overlap && overlap.getTime() > data.now.getTime()
    ? html`<p>Until ${time(overlap)} every delivery carries two signatures, one under each secret: switch your receiver to the new one before then.</p>`
    : null
}
<p><a href="${data.base}webhooks">Back to webhooks</a></p>`;
}

export interface DeliveriesPageData {
  base: string;
  csrf: SafeHtml;
  canChange: boolean;
  endpoint: WebhookEndpoint;
  deliveries: readonly WebhookDelivery[];
  nextPageToken: string | null;
  notice?: string | null;
  problem?: FormProblem | null;
}

function deliveryRow(data: DeliveriesPageData, d: WebhookDelivery): SafeHtml {
  const path = `${data.base}webhooks/${encodeURIComponent(d.endpointId)}/deliveries/${encodeURIComponent(d.deliveryId)}/redeliver`;
  return html`<tr>
<td>${time(d.createdAt)}</td>
<td><code>${d.eventType}</code><br><small><code>${d.messageId}</code></small></td>
<td>${statusPill(d.status)}${d.status === "PENDING" ? html`<br><small>next try ${time(d.nextAttemptAt)}</small>` : null}</td>
<td>${d.attempts}</td>
<td>${d.lastResponseCode ?? ""}${d.lastError ? html`<br><small>${d.lastError}</small>` : null}</td>
<td>${time(d.deliveredAt)}</td>
${
  data.canChange
    ? html`<td>${actionForm({ action: path, label: "Redeliver", accessibleLabel: `Redeliver ${d.messageId}`, csrf: data.csrf, variant: "secondary" })}${problemAt(data.problem, `redeliver:${d.deliveryId}`)}</td>`
    : null
}
</tr>`;
}

/** One endpoint's delivery log, newest first, with a Redeliver button per message. */
export function deliveriesPage(data: DeliveriesPageData): SafeHtml {
  const base = `${data.base}webhooks/${encodeURIComponent(data.endpoint.endpointId)}/deliveries`;
  const table =
    data.deliveries.length === 0
      ? html`<p>No deliveries yet.</p>`
      : tableWrap(
          "Deliveries",
          html`<table>
<caption>Deliveries, newest first</caption>
<thead><tr><th scope="col">Created</th><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th><th scope="col">Delivered</th>${data.canChange ? html`<th scope="col">Actions</th>` : null}</tr></thead>
<tbody>${data.deliveries.map((d) => deliveryRow(data, d))}</tbody>
</table>`,
        );
  return placeProblem(
    html`<h1>Deliveries</h1>
<p>To <code>${data.endpoint.url}</code> (${data.endpoint.status}).</p>
${data.notice ? notice("success", data.notice) : null}
${table}
${data.nextPageToken ? html`<p><a href="${base}${queryString({ page_token: data.nextPageToken })}">Older deliveries</a></p>` : null}
<p><a href="${data.base}webhooks">Back to webhooks</a></p>`,
    data.problem,
  );
}
