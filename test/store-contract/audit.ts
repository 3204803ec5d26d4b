import { describe, expect, it } from "vitest";
import { accountId, at, credentialId, MINUTE, makeAccount, makeAudit, makeCredential } from "./fixtures.ts";
import { contractArea } from "./harness.ts";
import { allPages, auditPosition, expectPagesCover, newestFirst } from "./paging.ts";

/** The audit trail: events of their own and the newest-first listing. */
export const audit = contractArea("audit", "audit trail", (ctx) => {
  const { store, addAccount, addCredential, auditOf } = ctx;

  describe("insertAuditEvent", () => {
    it("adds an event of its own, found with the account's others", async () => {
      const account = await addAccount(makeAccount(1));
      const event = makeAudit(account.accountId, {
        action: "credential.authentication_failed",
        targetType: "CREDENTIAL",
        targetId: credentialId(1),
        sourceIp: "198.51.100.1",
        reason: "WRONG_SECRET",
        occurredAt: at(5 * MINUTE),
      });
      await store.insertAuditEvent(event);
      expect((await auditOf(account.accountId))[0]).toEqual(event);
    });
  });

  describe("listAuditEvents", () => {
    it("returns only the account's events, newest first, with keyset paging across ties", async () => {
      const mine = await addAccount(makeAccount(1, { createdAt: at(0) }));
      const theirs = await addAccount(makeAccount(2, { createdAt: at(0) }));
      const mineCredential = await addCredential(makeCredential(1, mine.accountId, { createdAt: at(0) }));
      const theirCredential = await addCredential(makeCredential(2, theirs.accountId, { createdAt: at(0) }));
      const minutes = [1, 2, 2, 2, 3, 1, 4];
      for (const [i, m] of minutes.entries()) {
        for (const credential of [mineCredential, theirCredential]) {
          await store.updateCredentialDescription({
            accountId: credential.accountId,
            credentialId: credential.credentialId,
            description: `edit ${i}`,
            audit: makeAudit(credential.accountId, {
              action: "credential.updated",
              targetType: "CREDENTIAL",
              targetId: credential.credentialId,
              sourceIp: "192.0.2.1",
              statusBefore: "ACTIVE",
              statusAfter: "ACTIVE",
              occurredAt: at(m * MINUTE),
            }),
          });
        }
      }

      const events = await auditOf(mine.accountId);
      expect(events).toHaveLength(2 + minutes.length);
      expect(events.every((e) => e.accountId === mine.accountId)).toBe(true);
      expect(events).toEqual(newestFirst(events, auditPosition));
      expect(events.map((e) => e.occurredAt.getTime())).toEqual(
        [4, 3, 2, 2, 2, 1, 1, 0, 0].map((m) => at(m * MINUTE).getTime()),
      );
      expect((await auditOf(theirs.accountId)).every((e) => e.accountId === theirs.accountId)).toBe(true);
      expect(await store.listAuditEvents({ accountId: accountId(99), after: null, limit: 10 })).toEqual([]);

      for (const limit of [1, 2, 4]) {
        const pages = await allPages(
          limit,
          (page) => store.listAuditEvents({ accountId: mine.accountId, ...page }),
          auditPosition,
        );
        expectPagesCover(pages, events, limit);
      }
    });

    it("round-trips every audit field", async () => {
      const account = makeAccount(1);
      const audit = makeAudit(account.accountId, {
        action: "account.created",
        actor: "0190a1b2-c3d4-7000-8000-0000000000ff",
        targetType: "ACCOUNT",
        targetId: account.accountId,
        sourceIp: "2001:db8::1",
        statusBefore: "NONE",
        statusAfter: "ACTIVE",
        occurredAt: new Date("2026-03-01T12:00:00.999Z"),
      });
      await store.createAccount({ account, link: null, audit: [audit] });
      expect(await auditOf(account.accountId)).toEqual([audit]);
    });
  });
});
