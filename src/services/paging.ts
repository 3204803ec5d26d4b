import { invalidParameter } from "../domain/errors.ts";
import { decodePageToken, encodePageToken, type PagePosition } from "../domain/page-token.ts";

export const MAX_PAGE_SIZE = 100;

export interface Paged<T> {
  /** Possibly shared with a cache (see Store.viewCredentials): never to be changed. */
  items: readonly T[];
  nextPageToken: string | null;
}

/** Fetches one item more than asked to learn whether another page exists. */
export async function fetchPage<T>(
  pageSize: number,
  pageToken: string | undefined,
  fetch: (page: { after: PagePosition | null; limit: number }) => Promise<readonly T[]>,
  positionOf: (item: T) => { at: Date; id: string },
): Promise<Paged<T>> {
  // The schema validator lets Infinity through as an "integer"; the store must never see it.
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalidParameter("page_size", `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const after = pageToken ? decodePageToken(pageToken) : null;
  const rows = await fetch({ after, limit: pageSize + 1 });
  // The rows as they came when they are the whole page (a cached page stays the same array).
  const items = rows.length > pageSize ? rows.slice(0, pageSize) : rows;
  const last = items[items.length - 1];
  const nextPageToken =
    rows.length > pageSize && last
      ? encodePageToken({ at: positionOf(last).at.toISOString(), id: positionOf(last).id })
      : null;
  return { items, nextPageToken };
}
