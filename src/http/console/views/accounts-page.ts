import type { Account } from "../../../domain/types.ts";
import { pathSegment, tableWrap } from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";

const KIND: Record<Account["kind"], string> = {
  ACQUIRING_PARTNER: "Acquiring Partner",
  PARTNER_ACCOUNT: "Partner Account",
};

/** An account's suspension as a status badge. */
export function accountStatus(account: Account): SafeHtml {
  return account.suspension
    ? html`<span class="status status-suspended">Suspended</span>`
    : html`<span class="status status-active">Active</span>`;
}

/** A table of accounts, each linked to `hrefOf(account)`. */
export function accountsTable(
  label: string,
  accounts: readonly Account[],
  hrefOf: (account: Account) => string,
): SafeHtml {
  if (accounts.length === 0) return html`<p>No accounts match.</p>`;
  return tableWrap(
    label,
    html`<table>
<thead><tr><th scope="col">Account</th><th scope="col">Account ID</th><th scope="col">Type</th><th scope="col">Environment</th><th scope="col">Status</th></tr></thead>
<tbody>${accounts.map(
      (account) => html`<tr>
<th scope="row"><a href="${hrefOf(account)}">${account.name}</a></th>
<td><code>${account.accountId}</code></td>
<td>${KIND[account.kind]}</td>
<td>${account.environment}</td>
<td>${accountStatus(account)}</td>
</tr>`,
    )}</tbody>
</table>`,
  );
}

/** The search form of an account list (`q`), posting back to `action` by GET. */
export function accountSearchForm(input: { action: string; query: string; label: string }): SafeHtml {
  return html`<form method="get" action="${input.action}" class="search" role="search">
<div class="field"><label for="q">${input.label}</label>
<input id="q" name="q" type="search" maxlength="200" value="${input.query}"></div>
<button type="submit">Search</button>
${input.query ? html`<a href="${input.action}">Clear</a>` : null}
</form>`;
}

export function accountSelectorPage(input: {
  own: Account;
  partnerAccounts: readonly Account[];
  query: string;
  nextPageHref: string | null;
}): SafeHtml {
  const href = (account: Account) => `/console/accounts/${pathSegment(account.accountId)}/keys`;
  const isParent = input.own.kind === "ACQUIRING_PARTNER";
  // A search's matches already hold the user's own account when it matches, in its place.
  const rows = input.query === "" ? [input.own, ...input.partnerAccounts] : input.partnerAccounts;
  return html`<h1>Accounts</h1>
<p>${
    isParent
      ? "Your Acquiring Partner account and the Partner Accounts it manages. Choose one to manage its keys and settings."
      : "Choose the account to manage its keys and settings."
  }</p>
${isParent ? accountSearchForm({ action: "/console/accounts", query: input.query, label: "Search by name, account ID or reference" }) : null}
${accountsTable("Accounts", rows, href)}
${input.nextPageHref ? html`<p><a href="${input.nextPageHref}">Next page of ${input.query ? "matches" : "Partner Accounts"}</a></p>` : null}`;
}
