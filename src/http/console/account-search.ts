/**
 * The link to the next page of an account list, or of a search's matches (`q` kept): the store
 * searches (see `AccountService.search`), one keyset page at a time.
 */
export function nextAccountsPage(path: string, query: string, pageToken: string): string {
  const q = query ? `q=${encodeURIComponent(query)}&` : "";
  return `${path}?${q}page_token=${encodeURIComponent(pageToken)}`;
}
