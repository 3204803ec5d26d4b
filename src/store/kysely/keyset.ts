import { type SelectQueryBuilder, sql } from "kysely";
import type { PagePosition } from "../../domain/page-token.ts";
import type { Page } from "../port.ts";
import type { Database } from "./tables.ts";

type Table = keyof Database;

/** Newest first, strictly after the given position: `(at, id) < (position.at, position.id)`. */
export function keysetPage<T extends Table, O>(
  query: SelectQueryBuilder<Database, T, O>,
  columns: { at: string; id: string },
  page: Page,
): SelectQueryBuilder<Database, T, O> {
  const at = sql.ref<string>(columns.at);
  const id = sql.ref<string>(columns.id);
  const after: PagePosition | null = page.after;
  const filtered = after
    ? // A row-value comparison, which both planners read as a range on the (…, at, id) index.
      query.where(sql<boolean>`(${at}, ${id}) < (${after.at}, ${after.id})`)
    : query;
  return filtered.orderBy(at, "desc").orderBy(id, "desc").limit(page.limit);
}
