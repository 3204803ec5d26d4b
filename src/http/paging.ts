import type { Paged } from "../services/paging.ts";

/** The page a list request asks for, from its `page_size` (50 when left out) and `page_token`. */
export function pageRequest(query: { page_size?: number; page_token?: string }): {
  pageSize: number;
  pageToken: string | undefined;
} {
  return { pageSize: query.page_size ?? 50, pageToken: query.page_token };
}

/** A list answer's `next_page_token`: left out on the last page. */
export function nextPageField(page: Paged<unknown>): { next_page_token?: string } {
  return page.nextPageToken ? { next_page_token: page.nextPageToken } : {};
}
