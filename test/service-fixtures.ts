import type { Account } from "../src/domain/types.ts";
import { DEFAULT_ACCOUNT_SECURITY } from "../src/domain/types.ts";
import type { Store } from "../src/store/port.ts";
import { openSqliteStore } from "../src/store/sqlite/sqlite-store.ts";

/* Fixtures of the services' unit tests (not part of the build). */

/** An account the operator created on 2026-01-01: default security, not suspended. */
export function testAccount(fields: Pick<Account, "accountId" | "name" | "kind">): Account {
  return {
    ...fields,
    environment: "LIVE",
    parentAccountId: null,
    partnerAccountReference: null,
    createdAt: new Date("2026-01-01T00:00:00Z"),
    createdBy: "operator",
    security: DEFAULT_ACCOUNT_SECURITY,
    suspension: null,
  };
}

/** A real SQLite store in memory, holding `account` and the event of its creation. */
export async function storeWithAccount(account: Account): Promise<Store> {
  const store = await openSqliteStore(":memory:");
  await store.createAccount({
    account,
    link: null,
    audit: [
      {
        eventId: `e-created-${account.accountId}`,
        accountId: account.accountId,
        action: "account.created",
        actor: "operator",
        targetType: "ACCOUNT",
        targetId: account.accountId,
        sourceIp: null,
        statusBefore: null,
        statusAfter: null,
        reason: null,
        occurredAt: account.createdAt,
      },
    ],
  });
  return store;
}
