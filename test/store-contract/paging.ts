import { expect } from "vitest";
import type { PagePosition } from "../../src/domain/page-token.ts";
import type { Account, AuditEvent, ClientCertificate, Credential } from "../../src/domain/types.ts";
import type { Page } from "../../src/store/port.ts";

/** Newest first, ties broken by id descending: the order every list method promises. */
export function newestFirst<T>(items: T[], position: (item: T) => PagePosition): T[] {
  return [...items].sort((a, b) => {
    const pa = position(a);
    const pb = position(b);
    if (pa.at !== pb.at) return pa.at < pb.at ? 1 : -1;
    if (pa.id !== pb.id) return pa.id < pb.id ? 1 : -1;
    return 0;
  });
}

export const accountPosition = (a: Account): PagePosition => ({
  at: a.createdAt.toISOString(),
  id: a.accountId,
});
export const credentialPosition = (c: Credential): PagePosition => ({
  at: c.createdAt.toISOString(),
  id: c.credentialId,
});
export const auditPosition = (e: AuditEvent): PagePosition => ({
  at: e.occurredAt.toISOString(),
  id: e.eventId,
});
export const certificatePosition = (c: ClientCertificate): PagePosition => ({
  at: c.createdAt.toISOString(),
  id: c.certificateId,
});

/** Walks every page, continuing after the last item of each, until a page comes back empty. */
export async function allPages<T>(
  limit: number,
  fetch: (page: Page) => Promise<T[]>,
  position: (item: T) => PagePosition,
): Promise<T[][]> {
  const pages: T[][] = [];
  let after: PagePosition | null = null;
  for (let i = 0; i < 50; i += 1) {
    const rows = await fetch({ after, limit });
    expect(rows.length).toBeLessThanOrEqual(limit);
    const last = rows[rows.length - 1];
    if (!last) return pages;
    pages.push(rows);
    after = position(last);
  }
  throw new Error("paging did not terminate: the store ignores `after`");
}

/** Checks that paging returns exactly `expected`, in order, in full pages but the last. */
export function expectPagesCover<T>(pages: T[][], expected: T[], limit: number): void {
  expect(pages.flat()).toEqual(expected);
  expect(pages.map((p) => p.length)).toEqual(
    Array.from({ length: Math.ceil(expected.length / limit) }, (_, i) =>
      Math.min(limit, expected.length - i * limit),
    ),
  );
}
