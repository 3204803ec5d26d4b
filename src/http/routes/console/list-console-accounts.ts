import { notFound } from "../../../domain/errors.ts";
import type { Account } from "../../../domain/types.ts";
import { nextAccountsPage } from "../../console/account-search.ts";
import { accountSelectorPage } from "../../console/views/accounts-page.ts";
import { consoleSessionOf, requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { queryField, seeOther, sendPage } from "./console-pages.ts";

const PAGE_SIZE = 50;

/**
 * `GET /console/accounts` (`q`, `page_token`): the user's own account and, for an Acquiring
 * Partner, the Partner Accounts it manages (newest first, or those matching `q`: the store
 * searches, a page at a time). Operators, who belong to no account, search every account on the
 * operator page instead.
 */
export function listConsoleAccounts(app: App, services: AppServices): void {
  app.get("/console/accounts", { preHandler: requireConsole("read") }, async (request, reply) => {
    const { user } = consoleSessionOf(request);
    if (user.accountId === null) return seeOther(reply, "/console/operator");
    const own = await services.accounts.get(user.accountId);
    if (!own) throw notFound("Account");
    const query = queryField(request, "q").slice(0, 200);
    let partnerAccounts: readonly Account[] = [];
    let nextPageHref: string | null = null;
    if (own.kind === "ACQUIRING_PARTNER") {
      const pageToken = queryField(request, "page_token") || undefined;
      const page = query
        ? await services.accounts.search(query, { pageSize: PAGE_SIZE, pageToken }, { familyOf: own })
        : await services.accounts.listPartnerAccounts(own, { pageSize: PAGE_SIZE, pageToken });
      partnerAccounts = page.items;
      nextPageHref = page.nextPageToken
        ? nextAccountsPage("/console/accounts", query, page.nextPageToken)
        : null;
    }
    return sendPage(request, reply, {
      title: "Accounts",
      section: "accounts",
      // Only an Acquiring Partner has accounts to search among.
      body: accountSelectorPage({
        own,
        partnerAccounts,
        query: own.kind === "ACQUIRING_PARTNER" ? query : "",
        nextPageHref,
      }),
    });
  });
}
