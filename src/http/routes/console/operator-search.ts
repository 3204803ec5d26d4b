import type { Account } from "../../../domain/types.ts";
import { searchAccounts } from "../../console/account-search.ts";
import { operatorSearchPage } from "../../console/views/operator-pages.ts";
import { requireConsole } from "../../plugins/console-session.ts";
import type { App, AppServices } from "../../types.ts";
import { HIDDEN, queryField, sendPage } from "./console-pages.ts";

const PAGE_SIZE = 50;
const SEARCH = { limit: 100, maxScanned: 10_000 };

/**
 * `GET /console/operator` (`q`, `page_token`; operators): every account newest first, or those
 * whose name, id or reference contains `q` (an exact account id is found directly).
 */
export function operatorSearch(app: App, services: AppServices): void {
  app.get(
    "/console/operator",
    { schema: HIDDEN, preHandler: requireConsole("operate") },
    async (request, reply) => {
      const query = queryField(request, "q").slice(0, 200);
      let accounts: Account[];
      let incomplete = false;
      let nextPageHref: string | null = null;
      if (query) {
        const exact = await services.accounts.get(query);
        if (exact) {
          accounts = [exact];
        } else {
          const found = await searchAccounts((page) => services.accounts.listAll(page), query, SEARCH);
          accounts = found.accounts;
          incomplete = !found.complete;
        }
      } else {
        const pageToken = queryField(request, "page_token") || undefined;
        const page = await services.accounts.listAll({ pageSize: PAGE_SIZE, pageToken });
        accounts = page.items;
        nextPageHref = page.nextPageToken
          ? `/console/operator?page_token=${encodeURIComponent(page.nextPageToken)}`
          : null;
      }
      return sendPage(request, reply, {
        title: "Support: accounts",
        section: "operator",
        body: operatorSearchPage({ query, accounts, incomplete, nextPageHref }),
      });
    },
  );
}
