import { nextAccountsPage } from "../../console/account-search.ts";
import { operatorSearchPage } from "../../console/views/operator-pages.ts";
import { requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { queryField, sendPage } from "./console-pages.ts";

const PAGE_SIZE = 50;

/**
 * `GET /console/operator` (`q`, `page_token`; operators): every account newest first, or those
 * whose name or reference contains `q`, or whose id is `q` (the store searches, a page at a time).
 */
export function operatorSearch(app: App, services: AppServices): void {
  app.get("/console/operator", { preHandler: requireConsole("operate") }, async (request, reply) => {
    const query = queryField(request, "q").slice(0, 200);
    const pageToken = queryField(request, "page_token") || undefined;
    const page = query
      ? await services.accounts.search(query, { pageSize: PAGE_SIZE, pageToken })
      : await services.accounts.listAll({ pageSize: PAGE_SIZE, pageToken });
    return sendPage(request, reply, {
      title: "Support: accounts",
      section: "operator",
      body: operatorSearchPage({
        query,
        accounts: page.items,
        nextPageHref: page.nextPageToken
          ? nextAccountsPage("/console/operator", query, page.nextPageToken)
          : null,
      }),
    });
  });
}
