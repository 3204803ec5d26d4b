import type { Account } from "../../domain/types.ts";
import type { Paged } from "../../services/paging.ts";

/** How much one search reads: pages of 100 accounts, at most `maxScanned` of them. */
const PAGE_SIZE = 100;

/** Whether an account matches a search: its name, id or partner reference contains the text. */
export function accountMatches(account: Account, query: string): boolean {
  const needle = query.trim().toLowerCase();
  if (needle === "") return true;
  return [account.name, account.accountId, account.partnerAccountReference ?? ""].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

/**
 * The accounts of a paged list whose name, id or reference contains `query`, newest first: at most
 * `limit`, reading at most `maxScanned` accounts (`complete` false when it stopped early).
 */
export async function searchAccounts(
  list: (page: { pageSize: number; pageToken: string | undefined }) => Promise<Paged<Account>>,
  query: string,
  options: { limit: number; maxScanned: number },
): Promise<{ accounts: Account[]; complete: boolean }> {
  const accounts: Account[] = [];
  let scanned = 0;
  let pageToken: string | undefined;
  for (;;) {
    const page = await list({ pageSize: PAGE_SIZE, pageToken });
    for (const account of page.items) {
      if (!accountMatches(account, query)) continue;
      accounts.push(account);
      if (accounts.length >= options.limit) return { accounts, complete: page.nextPageToken === null };
    }
    scanned += page.items.length;
    if (page.nextPageToken === null) return { accounts, complete: true };
    if (scanned >= options.maxScanned) return { accounts, complete: false };
    pageToken = page.nextPageToken;
  }
}
