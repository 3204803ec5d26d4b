import type { FastifyRequest } from "fastify";
import { ACCOUNT_ROLES, type AccountRole } from "../../../domain/console-roles.ts";
import type { ConsoleUser } from "../../../domain/console-user.ts";
import type { AppError } from "../../../domain/errors.ts";
import type { Account } from "../../../domain/types.ts";
import {
  actionForm,
  copyButton,
  csrfField,
  formError,
  notice,
  pathSegment,
  tableWrap,
  time,
} from "../forms.ts";
import { html, type SafeHtml } from "../html.ts";

const ROLE_TEXT: Record<AccountRole, string> = {
  owner: "Owner: everything, and manages users",
  developer: "Developer: keys, Client IDs, origins, certificates, IP allow-list, webhooks",
  viewer: "Viewer: reads everything, changes nothing",
};

const STATUS_CLASS: Record<ConsoleUser["status"], string> = {
  ACTIVE: "status status-active",
  INVITED: "status status-other",
  REMOVED: "status status-removed",
};

/** `/console/accounts/{account_id}/users[/{user_id}/{rest}]`. */
export function usersPath(account: Account, user?: ConsoleUser | string, rest?: string): string {
  const base = `/console/accounts/${pathSegment(account.accountId)}/users`;
  if (user === undefined) return base;
  const userId = typeof user === "string" ? user : user.userId;
  return `${base}/${pathSegment(userId)}${rest ? `/${rest}` : ""}`;
}

function roleOptions(selected: string): SafeHtml[] {
  return ACCOUNT_ROLES.map(
    (role) =>
      html`<option value="${role}"${role === selected ? html` selected` : null}>${ROLE_TEXT[role]}</option>`,
  );
}

function userRow(request: FastifyRequest, account: Account, user: ConsoleUser, self: string): SafeHtml {
  const removed = user.status === "REMOVED";
  const you = user.userId === self ? html` <span class="muted">(you)</span>` : null;
  const actions = removed
    ? html`<span class="muted">none</span>`
    : html`<div class="actions">
<a href="${usersPath(account, user, "role")}">Change role<span class="visually-hidden"> of ${user.email}</span></a>
${
  user.status === "ACTIVE"
    ? actionForm({
        csrf: csrfField(request),
        action: usersPath(account, user, "reset-sign-in"),
        label: "Reset sign-in",
        context: `of ${user.email}`,
        variant: "secondary",
      })
    : null
}
${actionForm({
  csrf: csrfField(request),
  action: usersPath(account, user, "remove"),
  label: "Remove",
  context: user.email,
  variant: "danger",
})}
</div>`;
  return html`<tr>
<th scope="row">${user.email}${you}</th>
<td>${user.role}</td>
<td><span class="${STATUS_CLASS[user.status]}">${user.status.toLowerCase()}</span></td>
<td>${user.secondFactor ? "on" : "not yet"}</td>
<td>${time(user.lastSignInAt)}</td>
<td>${time(user.createdAt)} <span class="muted">by ${user.createdBy}</span></td>
<td>${actions}</td>
</tr>`;
}

export interface UsersView {
  account: Account;
  users: readonly ConsoleUser[];
  /** The signed-in user's id (marked "you"). */
  self: string;
  notice?: string | null;
  error?: AppError | null;
  /** What the invitation form held when it was refused. */
  entered?: { email: string; role: string };
  /** A one-time invitation link to show once: a new user's, or (`reset`) a user's whose sign-in was reset. */
  invited?: { email: string; invitationUrl: string; expiresAt: Date; reset?: boolean } | null;
}

/** The users of an account, the invitation form, and each user's actions (for owners). */
export function usersPage(request: FastifyRequest, view: UsersView): SafeHtml {
  const entered = view.entered ?? { email: "", role: "developer" };
  const rows = view.users.map((user) => userRow(request, view.account, user, view.self));
  return html`<h1>Users</h1>
${view.notice ? notice("success", view.notice) : null}
${view.error ? formError(view.error) : null}
${
  view.invited
    ? html`<div class="notice notice-success" role="status">
<p>${
        view.invited.reset
          ? html`The sign-in of ${view.invited.email} is reset: their password, authenticator app and recovery codes no longer work, and they are signed out. Send them this link over a channel you trust to choose a new password and set up two-factor sign-in again`
          : html`${view.invited.email} is invited. Send them this link over a channel you trust`
      }: it works once and expires ${time(view.invited.expiresAt)}.</p>
<code id="invitation-url" class="secret">${view.invited.invitationUrl}</code>
<p>${copyButton("invitation-url", "Copy link")}</p>
</div>`
    : null
}
<h2 id="invite-heading">Invite a user</h2>
<form method="post" action="${usersPath(view.account)}" class="stacked" aria-labelledby="invite-heading">
${csrfField(request)}
<div class="field"><label for="invite-email">Email</label>
<input id="invite-email" name="email" type="email" autocomplete="off" required maxlength="254" value="${entered.email}"></div>
<div class="field"><label for="invite-role">Role</label>
<select id="invite-role" name="role">${roleOptions(entered.role)}</select></div>
<div><button type="submit">Invite user</button></div>
</form>
<h2 id="users-heading">People with access</h2>
${
  rows.length > 0
    ? tableWrap(
        "People with access",
        html`<table>
<thead><tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Two-factor</th><th scope="col">Last sign-in</th><th scope="col">Added</th><th scope="col">Actions</th></tr></thead>
<tbody>${rows}</tbody>
</table>`,
      )
    : html`<p>No users yet.</p>`
}
<p class="muted">Removing a user or resetting their sign-in ends their sessions at once; a reset user signs in again only through the new link. An account always keeps at least one active owner.</p>`;
}

/** The form that changes one user's role. */
export function userRolePage(
  request: FastifyRequest,
  input: { account: Account; user: ConsoleUser; error?: AppError | null },
): SafeHtml {
  return html`<div class="narrow">
<h1>Change the role of ${input.user.email}</h1>
${input.error ? formError(input.error) : null}
<p>Their role now: <strong>${input.user.role}</strong>.</p>
<form method="post" action="${usersPath(input.account, input.user, "role")}" class="stacked">
${csrfField(request)}
<div class="field"><label for="role">New role</label>
<select id="role" name="role">${roleOptions(input.user.role)}</select></div>
<div class="actions"><button type="submit">Change role</button><a href="${usersPath(input.account)}">Cancel</a></div>
</form>
</div>`;
}
