import { AUDIT_ACTION_FAMILIES, type AuditFilterInput } from "../../../domain/audit-filter.ts";
import type { AuditEvent } from "../../../domain/types.ts";
import { tableWrap, time } from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";
import { type FormProblem, placeProblem, problemAt, queryString } from "./parts.ts";

export interface AuditPageData {
  base: string;
  filter: AuditFilterInput;
  events: readonly AuditEvent[];
  nextPageToken: string | null;
  problem?: FormProblem | null;
}

function filterForm(data: AuditPageData): SafeHtml {
  return html`<form method="get" action="${data.base}audit" class="search" aria-label="Filter the audit log">
<div class="field"><label for="audit-type">Type</label>
<input id="audit-type" name="type" list="audit-types" maxlength="64" autocomplete="off" value="${data.filter.type ?? ""}" aria-describedby="audit-type-hint">
<datalist id="audit-types">${AUDIT_ACTION_FAMILIES.map((t) => html`<option value="${t}"></option>`)}</datalist>
<p id="audit-type-hint" class="hint">An action (credential.disabled) or its family (credential).</p></div>
<div class="field"><label for="audit-from">From (UTC day)</label>
<input id="audit-from" name="from" type="date" value="${data.filter.from ?? ""}"></div>
<div class="field"><label for="audit-to">To (UTC day)</label>
<input id="audit-to" name="to" type="date" value="${data.filter.to ?? ""}"></div>
<button type="submit">Filter</button>
</form>
${problemAt(data.problem, "filters")}`;
}

function change(event: AuditEvent): string {
  if (event.statusBefore && event.statusAfter) return `${event.statusBefore} → ${event.statusAfter}`;
  return event.statusAfter ?? event.statusBefore ?? "";
}

function eventRow(event: AuditEvent): SafeHtml {
  return html`<tr>
<td>${time(event.occurredAt)}</td>
<td><code>${event.action}</code></td>
<td><code>${event.actor}</code></td>
<td>${event.targetType}<br><code>${event.targetId}</code></td>
<td>${event.sourceIp ? html`<code>${event.sourceIp}</code>` : html`<span class="muted">not shown</span>`}</td>
<td>${change(event)}</td>
<td>${event.reason ?? ""}</td>
</tr>`;
}

/** The audit log: filters by type and day, the matching events newest first, and the CSV export. */
export function auditPage(data: AuditPageData): SafeHtml {
  const filters = { type: data.filter.type, from: data.filter.from, to: data.filter.to };
  const table =
    data.events.length === 0
      ? html`<p>No events match.</p>`
      : tableWrap(
          "Audit events",
          html`<table>
<caption>Audit events, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Actor</th><th scope="col">Target</th><th scope="col">Address</th><th scope="col">Status</th><th scope="col">Reason</th></tr></thead>
<tbody>${data.events.map(eventRow)}</tbody>
</table>`,
        );
  return placeProblem(
    html`<h1>Audit log</h1>
${filterForm(data)}
<p><a href="${data.base}audit.csv${queryString(filters)}" download>Export as CSV</a> (every event that matches the filters).</p>
${table}
${data.nextPageToken ? html`<p><a href="${data.base}audit${queryString({ ...filters, page_token: data.nextPageToken })}">Older events</a></p>` : null}`,
    data.problem,
  );
}
