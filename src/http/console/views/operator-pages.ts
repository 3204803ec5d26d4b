import type { FastifyRequest } from "fastify";
import type { AppError } from "../../../domain/errors.ts";
import { mtlsEnforcementStatus } from "../../../domain/mtls-lockout.ts";
import type { Account, Credential, CredentialStatus } from "../../../domain/types.ts";
import { actionForm, csrfField, formError, notice, pathSegment, tableWrap, time } from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";
import { accountSearchForm, accountStatus, accountsTable } from "./accounts-page.ts";

/** `/console/operator/accounts/{account_id}[/{rest}]`. */
export function operatorAccountPath(account: Account | string, rest?: string): string {
  const accountId = typeof account === "string" ? account : account.accountId;
  return `/console/operator/accounts/${pathSegment(accountId)}${rest ? `/${rest}` : ""}`;
}

export function operatorSearchPage(input: {
  query: string;
  accounts: readonly Account[];
  nextPageHref: string | null;
}): SafeHtml {
  return html`<h1>Support: accounts</h1>
<p>Every account of the service, newest first. Open one to see its credentials and settings, and to act on it; every action is audited under your name.</p>
${accountSearchForm({ action: "/console/operator", query: input.query, label: "Search by name, account ID or reference" })}
${accountsTable("Accounts", input.accounts, (account) => operatorAccountPath(account))}
${input.nextPageHref ? html`<p><a href="${input.nextPageHref}">Next page</a></p>` : null}`;
}

const STATUS_CLASS: Record<CredentialStatus, string> = {
  ACTIVE: "status status-active",
  DISABLED: "status status-disabled",
  DELETED: "status status-other",
};

function credentialRow(request: FastifyRequest, account: Account, credential: Credential): SafeHtml {
  const action =
    credential.status === "DISABLED"
      ? actionForm({
          csrf: csrfField(request),
          action: operatorAccountPath(account, `credentials/${pathSegment(credential.credentialId)}/enable`),
          label: "Reactivate",
          context: credential.credentialId,
          variant: "secondary",
        })
      : html`<span class="muted">none</span>`;
  return html`<tr>
<th scope="row"><code>${credential.credentialId}</code></th>
<td>${credential.type}</td>
<td>${credential.description}</td>
<td><span class="${STATUS_CLASS[credential.status]}">${credential.status}</span>${
    credential.statusReason ? html` <span class="muted">(${credential.statusReason})</span>` : null
  }</td>
<td>${credential.environment}</td>
<td>${time(credential.createdAt)}</td>
<td>${time(credential.lastUsedAt)}</td>
<td>${action}</td>
</tr>`;
}

export interface OperatorAccountView {
  account: Account;
  now: Date;
  credentials: readonly Credential[];
  nextCredentialsHref: string | null;
  counts: Readonly<Record<CredentialStatus, number>>;
  usableCertificates: number;
  notice?: string | null;
  error?: AppError | null;
}

function mtlsSection(request: FastifyRequest, view: OperatorAccountView): SafeHtml {
  const { account } = view;
  const from = account.security.mtlsEnforcedFrom;
  const status = mtlsEnforcementStatus(from, view.now);
  const text =
    status === "NOT_ENFORCED"
      ? html`Not enforced.`
      : status === "SCHEDULED"
        ? html`Scheduled: requests need a valid client certificate from ${time(from)}.`
        : html`Enforced since ${time(from)}: requests without a valid client certificate are refused.`;
  return html`<h2>mTLS enforcement</h2>
<p>${text} Usable client certificates: ${view.usableCertificates}.</p>
${
  status === "NOT_ENFORCED"
    ? null
    : html`<p>Lifting enforcement lets the partner call without a certificate again (for instance after losing its last one); its certificates stay.</p>
${actionForm({ csrf: csrfField(request), action: operatorAccountPath(account, "mtls-enforcement/lift"), label: "Lift mTLS enforcement", variant: "danger" })}`
}`;
}

function ipSection(request: FastifyRequest, account: Account): SafeHtml {
  const { mode, allowedIps } = account.security.ipRestriction;
  const restricted = mode !== "NOT_ENABLED" || allowedIps.length > 0;
  return html`<h2>IP allow-list</h2>
<p>Mode: <strong>${mode}</strong>. ${
    allowedIps.length > 0
      ? html`Allowed addresses: ${allowedIps.map((ip, i) => html`${i > 0 ? ", " : ""}<code>${ip}</code>`)}.`
      : "No addresses."
  }</p>
${
  restricted
    ? html`<p>Resetting turns the allow-list off and removes every address, for a partner that locked itself out.</p>
${actionForm({ csrf: csrfField(request), action: operatorAccountPath(account, "ip-restriction/reset"), label: "Reset IP restriction", variant: "danger" })}`
    : null
}`;
}

function suspensionSection(request: FastifyRequest, account: Account): SafeHtml {
  const suspended = account.suspension;
  const action = suspended ? "resume" : "suspend";
  return html`<h2>Suspension</h2>
<p>${
    suspended
      ? html`Suspended since ${time(suspended.at)}${suspended.reason ? html`: ${suspended.reason}` : null}. Every key of the account is refused.`
      : "Active: the account's keys work as their statuses say."
  }</p>
<form method="post" action="${operatorAccountPath(account, action)}" class="stacked">
${csrfField(request)}
<div class="field"><label for="reason">Reason (optional, for the audit log)</label>
<input id="reason" name="reason" type="text" maxlength="200"></div>
<div><button type="submit"${suspended ? null : html` class="danger"`}>${suspended ? "Resume account" : "Suspend account"}</button></div>
</form>`;
}

/** One account for the operator: its facts, credentials, and the support actions. */
export function operatorAccountPage(request: FastifyRequest, view: OperatorAccountView): SafeHtml {
  const { account, counts } = view;
  return html`<h1>Support: ${account.name}</h1>
${view.notice ? notice("success", view.notice) : null}
${view.error ? formError(view.error) : null}
<dl class="facts">
<dt>Account ID</dt><dd><code>${account.accountId}</code></dd>
<dt>Type</dt><dd>${account.kind === "ACQUIRING_PARTNER" ? "Acquiring Partner" : "Partner Account"}</dd>
${account.parentAccountId ? html`<dt>Acquiring Partner</dt><dd><a href="${operatorAccountPath(account.parentAccountId)}"><code>${account.parentAccountId}</code></a></dd>` : null}
${account.partnerAccountReference ? html`<dt>Reference</dt><dd>${account.partnerAccountReference}</dd>` : null}
<dt>Environment</dt><dd>${account.environment}</dd>
<dt>Created</dt><dd>${time(account.createdAt)} <span class="muted">by ${account.createdBy}</span></dd>
<dt>Status</dt><dd>${accountStatus(account)}</dd>
<dt>Credentials</dt><dd>${counts.ACTIVE} active, ${counts.DISABLED} disabled, ${counts.DELETED} deleted</dd>
</dl>
<h2>Credentials</h2>
<p>Reactivating a disabled credential restarts its inactivity clock; a rotated-out or deleted one cannot come back.</p>
${
  view.credentials.length > 0
    ? tableWrap(
        "Credentials",
        html`<table>
<thead><tr><th scope="col">Credential ID</th><th scope="col">Type</th><th scope="col">Description</th><th scope="col">Status</th><th scope="col">Environment</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Actions</th></tr></thead>
<tbody>${view.credentials.map((c) => credentialRow(request, account, c))}</tbody>
</table>`,
      )
    : html`<p>No credentials.</p>`
}
${view.nextCredentialsHref ? html`<p><a href="${view.nextCredentialsHref}">More credentials</a></p>` : null}
${mtlsSection(request, view)}
${ipSection(request, account)}
${suspensionSection(request, account)}`;
}
