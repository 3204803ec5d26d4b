import { describe, expect, it } from "vitest";
import { GENESIS, verifyChain } from "../../src/domain/audit-chain.ts";
import { type AuditEventFilter, auditEventMatches } from "../../src/domain/audit-filter.ts";
import type { AuditEvent } from "../../src/domain/types.ts";
import {
  accountId,
  at,
  credentialId,
  DAY,
  HOUR,
  MINUTE,
  makeAccount,
  makeAudit,
  makeCredential,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";
import { allPages, auditPosition, expectPagesCover, newestFirst } from "./paging.ts";

/** The audit trail: events of their own, the newest-first listing, and the hash chain in the order written. */
export const audit = contractArea("audit", "audit trail", (ctx) => {
  const { store, addAccount, addCredential, auditOf, statusAudit } = ctx;

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

  describe("listAuditEvents with filters", () => {
    /**
     * Stores one event per `[action, occurredAt]` for the account, and returns all the account's
     * events newest first (with those its creation wrote).
     */
    async function seed(owner: string, events: readonly (readonly [string, Date])[]): Promise<AuditEvent[]> {
      for (const [action, occurredAt] of events) {
        await store.insertAuditEvent(makeAudit(owner, { action, occurredAt }));
      }
      return auditOf(owner);
    }

    const actions = (events: readonly AuditEvent[]): string[] => events.map((e) => e.action);

    it("takes a family: the action itself and every action under it, nothing that merely starts alike", async () => {
      const mine = await addAccount(makeAccount(1));
      const theirs = await addAccount(makeAccount(2));
      await seed(mine.accountId, [
        ["credential", at(1 * MINUTE)],
        ["credential.created", at(2 * MINUTE)],
        ["credential.disabled", at(3 * MINUTE)],
        ["credential.key.rotated", at(4 * MINUTE)],
        ["credentials.created", at(5 * MINUTE)],
        ["credential_x.created", at(6 * MINUTE)],
        ["client_credential.created", at(7 * MINUTE)],
        ["CREDENTIAL.disabled", at(8 * MINUTE)],
        ["account.created", at(9 * MINUTE)],
        ["rate_limits.changed", at(10 * MINUTE)],
        // `_` and `%` are plain characters, never wildcards.
        ["rateXlimits.changed", at(11 * MINUTE)],
        ["rate_limits%.changed", at(12 * MINUTE)],
        ["back\\slash.changed", at(13 * MINUTE)],
        ["backXslash.changed", at(14 * MINUTE)],
      ]);
      await seed(theirs.accountId, [["credential.created", at(3 * MINUTE)]]);
      const list = (action: string) =>
        store.listAuditEvents({ accountId: mine.accountId, action, after: null, limit: 100 });

      expect(actions(await list("credential"))).toEqual([
        "credential.key.rotated",
        "credential.disabled",
        "credential.created",
        "credential",
      ]);
      expect(actions(await list("rate_limits"))).toEqual(["rate_limits.changed"]);
      expect(actions(await list("rate_limits%"))).toEqual(["rate_limits%.changed"]);
      expect(actions(await list("credential.key"))).toEqual(["credential.key.rotated"]);
      expect(actions(await list("back\\slash"))).toEqual(["back\\slash.changed"]);
      expect(await list("cred")).toEqual([]);
      expect(await list("webhook_endpoint")).toEqual([]);
    });

    it("takes an exact action (with any actions under it), case and all", async () => {
      const account = await addAccount(makeAccount(1));
      const events = await seed(account.accountId, [
        ["credential.disabled", at(1 * MINUTE)],
        ["credential.enabled", at(2 * MINUTE)],
        ["credential.disabled", at(3 * MINUTE)],
        ["credential.disabled_by_sweep", at(4 * MINUTE)],
        ["CREDENTIAL.DISABLED", at(5 * MINUTE)],
      ]);
      const disabled = await store.listAuditEvents({
        accountId: account.accountId,
        action: "credential.disabled",
        after: null,
        limit: 100,
      });
      expect(disabled).toEqual(events.filter((e) => e.action === "credential.disabled"));
      expect(disabled).toHaveLength(2);
    });

    it("bounds the time: from inclusive, before exclusive, each alone or both", async () => {
      const account = await addAccount(makeAccount(1));
      const from = at(DAY);
      const before = at(2 * DAY);
      const events = await seed(account.accountId, [
        ["account.updated", new Date(from.getTime() - 1)],
        ["account.updated", from],
        ["account.updated", new Date(from.getTime() + 1)],
        ["account.updated", new Date(before.getTime() - 1)],
        ["account.updated", before],
        ["account.updated", new Date(before.getTime() + 1)],
      ]);
      const times = (list: readonly AuditEvent[]) => list.map((e) => e.occurredAt.toISOString());
      const list = (bounds: { occurredFrom?: Date; occurredBefore?: Date }) =>
        store.listAuditEvents({ accountId: account.accountId, ...bounds, after: null, limit: 100 });
      const expected = (test: (ms: number) => boolean) =>
        times(events.filter((e) => test(e.occurredAt.getTime())));

      expect(times(await list({ occurredFrom: from, occurredBefore: before }))).toEqual(
        expected((ms) => ms >= from.getTime() && ms < before.getTime()),
      );
      expect(await list({ occurredFrom: from, occurredBefore: before })).toHaveLength(3);
      expect(times(await list({ occurredFrom: from }))).toEqual(expected((ms) => ms >= from.getTime()));
      expect(times(await list({ occurredBefore: before }))).toEqual(expected((ms) => ms < before.getTime()));
      expect(await list({ occurredFrom: before, occurredBefore: before })).toEqual([]);
      expect(await list({ occurredFrom: at(3 * DAY) })).toEqual([]);

      // A position at or past the end of the span (a filter changed while paging) starts at its end;
      // one inside it continues from there.
      const inSpan = (await list({ occurredFrom: from, occurredBefore: before })).map((e) => e.eventId);
      const continued = (after: { at: string; id: string }) =>
        store
          .listAuditEvents({
            accountId: account.accountId,
            occurredFrom: from,
            occurredBefore: before,
            after,
            limit: 100,
          })
          .then((page) => page.map((e) => e.eventId));
      const atBefore = events.find((e) => e.occurredAt.getTime() === before.getTime());
      expect(await continued({ at: at(3 * DAY).toISOString(), id: "z" })).toEqual(inSpan);
      expect(await continued({ at: before.toISOString(), id: atBefore?.eventId ?? "z" })).toEqual(inSpan);
      expect(await continued({ at: before.toISOString(), id: "0" })).toEqual(inSpan);
      expect(await continued({ at: new Date(before.getTime() - 1).toISOString(), id: "z" })).toEqual(inSpan);
      expect(await continued({ at: new Date(before.getTime() - 1).toISOString(), id: "0" })).toEqual(
        inSpan.slice(1),
      );
      expect(await continued({ at: from.toISOString(), id: "0" })).toEqual([]);
    });

    it("pages the filtered events by keyset, across ties in time, leaving none out and none twice", async () => {
      const mine = await addAccount(makeAccount(1));
      const theirs = await addAccount(makeAccount(2));
      const spec: [string, Date][] = [];
      const pool = ["credential.created", "credential.disabled", "account.updated", "allowed_origin.created"];
      for (let i = 0; i < 40; i += 1) {
        // Three events share each hour, so pages break inside a tie.
        spec.push([pool[i % pool.length] ?? "credential.created", at(Math.floor(i / 3) * HOUR)]);
      }
      const events = await seed(mine.accountId, spec);
      await seed(theirs.accountId, spec);
      const filter: AuditEventFilter = {
        action: "credential",
        occurredFrom: at(2 * HOUR),
        occurredBefore: at(11 * HOUR),
      };
      const expected = events.filter((e) => auditEventMatches(filter, e));
      expect(expected.length).toBeGreaterThan(8);
      expect(new Set(expected.map((e) => e.occurredAt.getTime())).size).toBeLessThan(expected.length);

      for (const limit of [1, 2, 3, 5, 100]) {
        const pages = await allPages(
          limit,
          (page) => store.listAuditEvents({ accountId: mine.accountId, ...filter, ...page }),
          auditPosition,
        );
        expectPagesCover(pages, expected, limit);
      }
      // Each filter alone pages the same way.
      for (const only of [
        { action: "account" },
        { occurredFrom: at(5 * HOUR) },
        { occurredBefore: at(5 * HOUR) },
      ] satisfies AuditEventFilter[]) {
        const pages = await allPages(
          4,
          (page) => store.listAuditEvents({ accountId: mine.accountId, ...only, ...page }),
          auditPosition,
        );
        expectPagesCover(
          pages,
          events.filter((e) => auditEventMatches(only, e)),
          4,
        );
      }
    });
  });

  describe("readAuditChain", () => {
    it("returns the account's events in the order they were written, each linked to the one before", async () => {
      const account = makeAccount(1);
      const created = [
        makeAudit(account.accountId, { action: "account.created", occurredAt: at(HOUR) }),
        makeAudit(account.accountId, { action: "onboarding_link.issued", occurredAt: at(HOUR) }),
      ];
      await store.createAccount({ account, link: null, audit: created });
      const other = await addAccount(makeAccount(2));
      // Written later, though it happened earlier: the chain keeps the order of writing.
      const refused = makeAudit(account.accountId, {
        action: "credential.authentication_failed",
        occurredAt: at(0),
      });
      await store.insertAuditEvent(refused);
      const credential = await addCredential(
        makeCredential(1, account.accountId, { createdAt: at(2 * HOUR) }),
      );

      const chain = await store.readAuditChain(account.accountId);

      expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(chain[0]?.prevHash).toBe(GENESIS);
      expect(chain.slice(0, 3)).toMatchObject([...created, refused]);
      expect(chain[3]).toMatchObject({ action: "credential.created", targetId: credential.credentialId });
      expect(verifyChain(chain)).toEqual({ intact: true, checked: 4 });
      expect((await store.readAuditChain(other.accountId)).map((e) => e.accountId)).toEqual([
        other.accountId,
      ]);
      expect(await store.readAuditChain(accountId(99))).toEqual([]);
      // The listing orders the same events by time instead.
      expect((await auditOf(account.accountId)).map((e) => e.eventId)).toEqual(
        [chain[3], chain[1], chain[0], chain[2]].map((e) => e?.eventId),
      );
    });

    it("concurrent changes of one account each take their own place in an intact chain", async () => {
      const account = await addAccount(makeAccount(1));
      const credential = await addCredential(makeCredential(1, account.accountId));
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2 === 0
            ? store.insertAuditEvent(
                makeAudit(account.accountId, { action: "credential.authentication_failed" }),
              )
            : store.updateCredentialDescription({
                accountId: account.accountId,
                credentialId: credential.credentialId,
                description: `edit ${i}`,
                audit: statusAudit(credential, "credential.updated", at(i * MINUTE)),
              }),
        ),
      );
      const chain = await store.readAuditChain(account.accountId);
      expect(chain).toHaveLength(14);
      expect(verifyChain(chain)).toEqual({ intact: true, checked: 14 });
    });
  });
});
