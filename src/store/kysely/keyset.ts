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
    ? query.where(sql<boolean>`(${at} < ${after.at} or (${at} = ${after.at} and ${id} < ${after.id}))`)
    : query;
  return filtered.orderBy(at, "desc").orderBy(id, "desc").limit(page.limit);
}
