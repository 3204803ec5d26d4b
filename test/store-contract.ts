import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PagePosition } from "../src/domain/page-token.ts";
import type { Account, AuditEvent, ClientCertificate, Credential, SecretHash } from "../src/domain/types.ts";
import { DEFAULT_ACCOUNT_SECURITY } from "../src/domain/types.ts";
import type { IdempotencyRecord, OnboardingLink, Page, Store } from "../src/store/port.ts";

/*
 * The behaviour every Store adapter must show. Each adapter's test file calls storeContract()
 * with a factory that opens a fresh, empty store; every test gets its own store.
 */

const BASE_MS = Date.parse("2026-03-01T12:00:00.000Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The base date plus an offset in milliseconds. */
function at(offsetMs = 0): Date {
  return new Date(BASE_MS + offsetMs);
}

const hex12 = (n: number): string => n.toString(16).padStart(12, "0");

function accountId(n: number): string {
  return `krn:partner:global:account:live:ABCD${String(n).padStart(4, "0")}`;
}

function credentialId(n: number): string {
  return `0190a1b2-c3d4-7000-8000-${hex12(n)}`;
}

function linkId(n: number): string {
  return `0190a1b2-0000-7000-9000-${hex12(n)}`;
}

let eventSequence = 0;
/** Event ids grow with each call, so events made later sort after earlier ones at the same instant. */
function nextEventId(): string {
  eventSequence += 1;
  return `0190a1b2-eeee-7000-a000-${hex12(eventSequence)}`;
}

function makeAccount(n: number, overrides: Partial<Account> = {}): Account {
  return {
    accountId: accountId(n),
    name: `Partner ${n}`,
    kind: "ACQUIRING_PARTNER",
    environment: "LIVE",
    parentAccountId: null,
    partnerAccountReference: null,
    createdAt: at(n * MINUTE),
    createdBy: "operator",
    security: DEFAULT_ACCOUNT_SECURITY,
    suspension: null,
    ...overrides,
  };
}

function makeCredential(n: number, owner: string, overrides: Partial<Credential> = {}): Credential {
  return {
    credentialId: credentialId(n),
    accountId: owner,
    type: "API",
    environment: "LIVE",
    description: `Key ${n}`,
    status: "ACTIVE",
    statusReason: null,
    lookupId: `lookup${String(n).padStart(6, "0")}`,
    clientId: null,
    createdAt: at(n * MINUTE),
    createdBy: "operator",
    lastUsedAt: null,
    disabledAt: null,
    expiresAt: null,
    deletedAt: null,
    activityAt: at(n * MINUTE),
    rotatedFrom: null,
    rotatedTo: null,
    rotationEnd: null,
    permissions: null,
    ...overrides,
  };
}

function makeClientCredential(n: number, owner: string, overrides: Partial<Credential> = {}): Credential {
  return makeCredential(n, owner, { type: "CLIENT", clientId: `klarna_live_client_${n}`, ...overrides });
}

function makeSecret(n: number): SecretHash {
  return { hash: `secret-hash-${n}`, pepperVersion: 3 };
}

function makeAudit(owner: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    eventId: nextEventId(),
    accountId: owner,
    action: "test.event",
    actor: "operator",
    targetType: "ACCOUNT",
    targetId: owner,
    sourceIp: null,
    statusBefore: null,
    statusAfter: null,
    reason: null,
    occurredAt: at(0),
    ...overrides,
  };
}

function makeCertificate(
  n: number,
  owner: string,
  overrides: Partial<ClientCertificate> = {},
): ClientCertificate {
  return {
    certificateId: `0190a1b2-cccc-7000-b000-${hex12(n)}`,
    accountId: owner,
    description: `Certificate ${n}`,
    serialNumber: `serial-${n}`,
    fingerprintSha256: `fingerprint-${n}`,
    certificatePem: `-----BEGIN CERTIFICATE-----\n${n}\n-----END CERTIFICATE-----`,
    notBefore: at(0),
    notAfter: at(365 * DAY),
    createdAt: at(n * MINUTE),
    revokedAt: null,
    ...overrides,
  };
}

function makeLink(n: number, owner: string, overrides: Partial<OnboardingLink> = {}): OnboardingLink {
  return {
    linkId: linkId(n),
    accountId: owner,
    tokenHash: `token-hash-${n}`,
    createdAt: at(0),
    expiresAt: at(DAY),
    claimedAt: null,
    revokedAt: null,
    ...overrides,
  };
}

function makeIdempotency(keyHash: string, overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  return {
    keyHash,
    requestHash: "request-hash-1",
    state: "PENDING",
    resourceId: null,
    responseStatus: null,
    responseCiphertext: null,
    createdAt: at(0),
    expiresAt: at(DAY),
    ...overrides,
  };
}

/** Newest first, ties broken by id descending: the order every list method promises. */
function newestFirst<T>(items: T[], position: (item: T) => PagePosition): T[] {
  return [...items].sort((a, b) => {
    const pa = position(a);
    const pb = position(b);
    if (pa.at !== pb.at) return pa.at < pb.at ? 1 : -1;
    if (pa.id !== pb.id) return pa.id < pb.id ? 1 : -1;
    return 0;
  });
}

const accountPosition = (a: Account): PagePosition => ({ at: a.createdAt.toISOString(), id: a.accountId });
const credentialPosition = (c: Credential): PagePosition => ({
  at: c.createdAt.toISOString(),
  id: c.credentialId,
});
const auditPosition = (e: AuditEvent): PagePosition => ({ at: e.occurredAt.toISOString(), id: e.eventId });

/** Walks every page, continuing after the last item of each, until a page comes back empty. */
async function allPages<T>(
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
function expectPagesCover<T>(pages: T[][], expected: T[], limit: number): void {
  expect(pages.flat()).toEqual(expected);
  expect(pages.map((p) => p.length)).toEqual(
    Array.from({ length: Math.ceil(expected.length / limit) }, (_, i) =>
      Math.min(limit, expected.length - i * limit),
    ),
  );
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(name, () => {
    let store: Store;
    let opened: Store | undefined;

    beforeEach(async () => {
      opened = undefined;
      store = await open();
      opened = store;
    });

    afterEach(async () => {
      await opened?.close();
    });

    async function addAccount(account: Account, link: OnboardingLink | null = null): Promise<Account> {
      await store.createAccount({
        account,
        link,
        audit: [makeAudit(account.accountId, { action: "account.created", occurredAt: account.createdAt })],
      });
      return account;
    }

    async function addCredential(
      credential: Credential,
      secret: SecretHash | null = null,
    ): Promise<Credential> {
      await store.insertCredential({
        credential,
        secret,
        audit: makeAudit(credential.accountId, {
          action: "credential.created",
          targetType: "CREDENTIAL",
          targetId: credential.credentialId,
          statusAfter: credential.status,
          occurredAt: credential.createdAt,
        }),
      });
      return credential;
    }

    function auditOf(owner: string): Promise<AuditEvent[]> {
      return store.listAuditEvents({ accountId: owner, after: null, limit: 1000 });
    }

    function claimAudit(owner: string, credential: Credential, now: Date): AuditEvent[] {
      return [
        makeAudit(owner, {
          action: "onboarding_link.claimed",
          targetType: "ONBOARDING_LINK",
          targetId: credential.credentialId,
          statusAfter: "ACTIVE",
          occurredAt: now,
        }),
        makeAudit(owner, {
          action: "credential.created",
          targetType: "CREDENTIAL",
          targetId: credential.credentialId,
          statusAfter: "ACTIVE",
          occurredAt: now,
        }),
      ];
    }

    function statusAudit(credential: Credential, action: string, occurredAt: Date): AuditEvent {
      return makeAudit(credential.accountId, {
        action,
        targetType: "CREDENTIAL",
        targetId: credential.credentialId,
        occurredAt,
      });
    }

    it("ping resolves", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    describe("accounts", () => {
      it("createAccount stores the account, its onboarding link and its audit event", async () => {
        const account = makeAccount(1);
        const link = makeLink(1, account.accountId);
        const audit = makeAudit(account.accountId, { action: "account.created", sourceIp: "198.51.100.4" });
        await store.createAccount({ account, link, audit: [audit] });

        expect(await store.findAccount(account.accountId)).toEqual(account);
        expect(await store.findOnboardingLink(link.tokenHash)).toEqual(link);
        expect(await auditOf(account.accountId)).toEqual([audit]);
      });

      it("createAccount without a link stores no link", async () => {
        const account = makeAccount(1);
        await addAccount(account);
        expect(await store.findAccount(account.accountId)).toEqual(account);
        expect(await store.findOnboardingLink(makeLink(1, account.accountId).tokenHash)).toBeNull();
      });

      it("createAccount is atomic: when the audit insert fails, neither account nor link remains", async () => {
        const first = await addAccount(makeAccount(1));
        const [firstAudit] = await auditOf(first.accountId);
        if (!firstAudit) throw new Error("expected the creation audit event");

        const second = makeAccount(2);
        const link = makeLink(2, second.accountId);
        const duplicateAudit = { ...firstAudit, accountId: second.accountId };
        await expect(
          store.createAccount({ account: second, link, audit: [duplicateAudit] }),
        ).rejects.toThrow();

        expect(await store.findAccount(second.accountId)).toBeNull();
        expect(await store.findOnboardingLink(link.tokenHash)).toBeNull();
        expect(await auditOf(second.accountId)).toEqual([]);
        expect(await auditOf(first.accountId)).toEqual([firstAudit]);
      });

      it("findAccount round-trips every field and returns null for an unknown id", async () => {
        const parent = await addAccount(makeAccount(1, { name: "Acme Acquiring" }));
        const child = await addAccount(
          makeAccount(2, {
            name: "Shop Ölmühle & Söhne",
            kind: "PARTNER_ACCOUNT",
            environment: "TEST",
            parentAccountId: parent.accountId,
            partnerAccountReference: "merchant-42",
            createdAt: new Date("2026-03-01T12:34:56.789Z"),
            createdBy: "0190a1b2-c3d4-7000-8000-0000000000ff",
          }),
        );

        const foundParent = await store.findAccount(parent.accountId);
        const foundChild = await store.findAccount(child.accountId);
        expect(foundParent).toEqual(parent);
        expect(foundChild).toEqual(child);
        expect(foundChild?.createdAt).toBeInstanceOf(Date);
        expect(foundChild?.createdAt.getTime()).toBe(child.createdAt.getTime());
        expect(await store.findAccount(accountId(99))).toBeNull();
      });

      it("listAccounts returns accounts newest first", async () => {
        const a1 = makeAccount(1);
        const a2 = makeAccount(2);
        const a3 = makeAccount(3);
        for (const a of [a2, a3, a1]) await addAccount(a);

        expect(await store.listAccounts({ after: null, limit: 10 })).toEqual([a3, a2, a1]);
        expect(await store.listAccounts({ after: null, limit: 2 })).toEqual([a3, a2]);
        expect(await store.listAccounts({ after: accountPosition(a2), limit: 10 })).toEqual([a1]);
        expect(await store.listAccounts({ after: accountPosition(a1), limit: 10 })).toEqual([]);
      });

      it("listAccounts pages never overlap or skip when several accounts share created_at", async () => {
        const minutes = [0, 1, 1, 1, 2, 2, 3];
        const accounts = minutes.map((m, i) => makeAccount(i + 1, { createdAt: at(m * MINUTE) }));
        for (const i of [4, 0, 6, 2, 5, 1, 3]) {
          const account = accounts[i];
          if (account) await addAccount(account);
        }
        const expected = newestFirst(accounts, accountPosition);
        expect(await store.listAccounts({ after: null, limit: 100 })).toEqual(expected);

        for (const limit of [1, 2, 3]) {
          const pages = await allPages(limit, (page) => store.listAccounts(page), accountPosition);
          expectPagesCover(pages, expected, limit);
        }
      });

      it("listAccounts filters by parentAccountId and kind", async () => {
        const ap1 = await addAccount(makeAccount(1));
        const ap2 = await addAccount(makeAccount(2));
        const child = (n: number, parent: Account) =>
          makeAccount(n, { kind: "PARTNER_ACCOUNT", parentAccountId: parent.accountId });
        const pa3 = await addAccount(child(3, ap1));
        const pa4 = await addAccount(child(4, ap1));
        const pa5 = await addAccount(child(5, ap2));
        const list = (query: { parentAccountId?: string; kind?: Account["kind"] }, limit = 100) =>
          store.listAccounts({ after: null, limit, ...query });

        expect(await list({})).toEqual([pa5, pa4, pa3, ap2, ap1]);
        expect(await list({ parentAccountId: ap1.accountId })).toEqual([pa4, pa3]);
        expect(await list({ parentAccountId: ap2.accountId })).toEqual([pa5]);
        expect(await list({ parentAccountId: pa3.accountId })).toEqual([]);
        expect(await list({ kind: "ACQUIRING_PARTNER" })).toEqual([ap2, ap1]);
        expect(await list({ kind: "PARTNER_ACCOUNT" })).toEqual([pa5, pa4, pa3]);
        expect(await list({ parentAccountId: ap1.accountId, kind: "PARTNER_ACCOUNT" })).toEqual([pa4, pa3]);
        expect(await list({ parentAccountId: ap1.accountId, kind: "ACQUIRING_PARTNER" })).toEqual([]);

        const pages = await allPages(
          1,
          (page) => store.listAccounts({ ...page, parentAccountId: ap1.accountId }),
          accountPosition,
        );
        expect(pages).toEqual([[pa4], [pa3]]);
      });
    });

    describe("onboarding links", () => {
      it("findOnboardingLink finds a link by token hash and returns null for an unknown hash", async () => {
        const account = makeAccount(1);
        const link = makeLink(1, account.accountId);
        await addAccount(account, link);
        expect(await store.findOnboardingLink(link.tokenHash)).toEqual(link);
        expect(await store.findOnboardingLink("no-such-hash")).toBeNull();
      });

      it("claimOnboardingLink returns CLAIMED once and stores the credential and audit events", async () => {
        const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
        const link = makeLink(1, account.accountId);
        const now = at(HOUR);
        const credential = makeCredential(1, account.accountId, { createdAt: now });
        const secret = makeSecret(1);
        const audit = claimAudit(account.accountId, credential, now);

        const outcome = await store.claimOnboardingLink({
          tokenHash: link.tokenHash,
          now,
          initial: { credential, secret },
          audit,
        });

        expect(outcome).toEqual({ outcome: "CLAIMED" });
        expect(await store.findCredential(account.accountId, credential.credentialId)).toEqual(credential);
        expect(await store.findCredentialByLookupId(credential.lookupId)).toEqual({ credential, secret });
        expect(await store.findOnboardingLink(link.tokenHash)).toEqual({ ...link, claimedAt: now });
        const events = await auditOf(account.accountId);
        expect(events).toHaveLength(3);
        expect(events).toEqual(expect.arrayContaining(audit));
      });

      it("a second claim returns ALREADY_USED and stores nothing", async () => {
        const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
        const link = makeLink(1, account.accountId);
        const first = makeCredential(1, account.accountId, { createdAt: at(HOUR) });
        await store.claimOnboardingLink({
          tokenHash: link.tokenHash,
          now: at(HOUR),
          initial: { credential: first, secret: makeSecret(1) },
          audit: claimAudit(account.accountId, first, at(HOUR)),
        });
        const eventsAfterFirst = await auditOf(account.accountId);

        const second = makeCredential(2, account.accountId, { createdAt: at(2 * HOUR) });
        const outcome = await store.claimOnboardingLink({
          tokenHash: link.tokenHash,
          now: at(2 * HOUR),
          initial: { credential: second, secret: makeSecret(2) },
          audit: claimAudit(account.accountId, second, at(2 * HOUR)),
        });

        expect(outcome).toEqual({ outcome: "ALREADY_USED" });
        expect(await store.findCredential(account.accountId, second.credentialId)).toBeNull();
        expect(await store.findCredentialByLookupId(second.lookupId)).toBeNull();
        expect(await auditOf(account.accountId)).toEqual(eventsAfterFirst);
        expect((await store.findOnboardingLink(link.tokenHash))?.claimedAt).toEqual(at(HOUR));
      });

      it("a claim at or after expires_at returns EXPIRED and stores nothing", async () => {
        const account = await addAccount(makeAccount(1), makeLink(1, accountId(1), { expiresAt: at(DAY) }));
        const link = makeLink(1, account.accountId, { expiresAt: at(DAY) });
        const eventsBefore = await auditOf(account.accountId);

        for (const [n, now] of [
          [1, at(DAY)],
          [2, at(DAY + 1)],
          [3, at(2 * DAY)],
        ] as const) {
          const credential = makeCredential(n, account.accountId, { createdAt: now });
          const outcome = await store.claimOnboardingLink({
            tokenHash: link.tokenHash,
            now,
            initial: { credential, secret: makeSecret(n) },
            audit: claimAudit(account.accountId, credential, now),
          });
          expect(outcome).toEqual({ outcome: "EXPIRED" });
          expect(await store.findCredential(account.accountId, credential.credentialId)).toBeNull();
        }
        expect(await store.findOnboardingLink(link.tokenHash)).toEqual(link);
        expect(await auditOf(account.accountId)).toEqual(eventsBefore);

        const justInTime = makeCredential(4, account.accountId, { createdAt: at(DAY - 1) });
        const outcome = await store.claimOnboardingLink({
          tokenHash: link.tokenHash,
          now: at(DAY - 1),
          initial: { credential: justInTime, secret: makeSecret(4) },
          audit: claimAudit(account.accountId, justInTime, at(DAY - 1)),
        });
        expect(outcome).toEqual({ outcome: "CLAIMED" });
      });

      it("claimOnboardingLink with an unknown hash returns NOT_FOUND and stores nothing", async () => {
        const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
        const eventsBefore = await auditOf(account.accountId);
        const credential = makeCredential(1, account.accountId);
        const outcome = await store.claimOnboardingLink({
          tokenHash: "no-such-hash",
          now: at(HOUR),
          initial: { credential, secret: makeSecret(1) },
          audit: claimAudit(account.accountId, credential, at(HOUR)),
        });
        expect(outcome).toEqual({ outcome: "NOT_FOUND" });
        expect(await store.findCredential(account.accountId, credential.credentialId)).toBeNull();
        expect(await auditOf(account.accountId)).toEqual(eventsBefore);
      });

      it("claimOnboardingLink is atomic: when the credential insert fails, the link stays unclaimed", async () => {
        const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
        const link = makeLink(1, account.accountId);
        const existing = await addCredential(makeCredential(1, account.accountId));
        const eventsBefore = await auditOf(account.accountId);

        const clashing = makeCredential(2, account.accountId, { lookupId: existing.lookupId });
        await expect(
          store.claimOnboardingLink({
            tokenHash: link.tokenHash,
            now: at(HOUR),
            initial: { credential: clashing, secret: makeSecret(2) },
            audit: claimAudit(account.accountId, clashing, at(HOUR)),
          }),
        ).rejects.toThrow();

        expect(await store.findOnboardingLink(link.tokenHash)).toEqual(link);
        expect(await store.findCredential(account.accountId, clashing.credentialId)).toBeNull();
        expect(await auditOf(account.accountId)).toEqual(eventsBefore);

        const good = makeCredential(3, account.accountId);
        const outcome = await store.claimOnboardingLink({
          tokenHash: link.tokenHash,
          now: at(HOUR),
          initial: { credential: good, secret: makeSecret(3) },
          audit: claimAudit(account.accountId, good, at(HOUR)),
        });
        expect(outcome).toEqual({ outcome: "CLAIMED" });
      });

      it("replaceOnboardingLink revokes the unclaimed link (its claim is SUPERSEDED) and the new one works", async () => {
        const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
        const oldLink = makeLink(1, account.accountId);
        const newLink = makeLink(2, account.accountId, { createdAt: at(HOUR), expiresAt: at(HOUR + DAY) });
        const replaceAudit = makeAudit(account.accountId, {
          action: "onboarding_link.issued",
          targetType: "ONBOARDING_LINK",
          targetId: newLink.linkId,
          occurredAt: at(HOUR),
        });
        await store.replaceOnboardingLink({ link: newLink, audit: replaceAudit });

        const revoked = await store.findOnboardingLink(oldLink.tokenHash);
        expect(revoked?.revokedAt).toBeInstanceOf(Date);
        expect(revoked?.claimedAt).toBeNull();
        expect(await store.findOnboardingLink(newLink.tokenHash)).toEqual(newLink);
        expect(await auditOf(account.accountId)).toContainEqual(replaceAudit);
        const eventsBefore = await auditOf(account.accountId);

        const stale = makeCredential(1, account.accountId, { createdAt: at(2 * HOUR) });
        const superseded = await store.claimOnboardingLink({
          tokenHash: oldLink.tokenHash,
          now: at(2 * HOUR),
          initial: { credential: stale, secret: makeSecret(1) },
          audit: claimAudit(account.accountId, stale, at(2 * HOUR)),
        });
        expect(superseded).toEqual({ outcome: "SUPERSEDED" });
        expect(await store.findCredential(account.accountId, stale.credentialId)).toBeNull();
        expect(await auditOf(account.accountId)).toEqual(eventsBefore);

        const fresh = makeCredential(2, account.accountId, { createdAt: at(2 * HOUR) });
        const claimed = await store.claimOnboardingLink({
          tokenHash: newLink.tokenHash,
          now: at(2 * HOUR),
          initial: { credential: fresh, secret: makeSecret(2) },
          audit: claimAudit(account.accountId, fresh, at(2 * HOUR)),
        });
        expect(claimed).toEqual({ outcome: "CLAIMED" });
        expect(await store.findCredential(account.accountId, fresh.credentialId)).toEqual(fresh);
      });

      it("replaceOnboardingLink leaves claimed links and other accounts' links alone", async () => {
        const mine = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
        const theirs = await addAccount(makeAccount(2), makeLink(2, accountId(2)));
        const claimedLink = makeLink(1, mine.accountId);
        const first = makeCredential(1, mine.accountId);
        await store.claimOnboardingLink({
          tokenHash: claimedLink.tokenHash,
          now: at(HOUR),
          initial: { credential: first, secret: makeSecret(1) },
          audit: claimAudit(mine.accountId, first, at(HOUR)),
        });

        const replacement = makeLink(3, mine.accountId, { createdAt: at(2 * HOUR), expiresAt: at(3 * DAY) });
        await store.replaceOnboardingLink({ link: replacement, audit: makeAudit(mine.accountId) });

        expect(await store.findOnboardingLink(claimedLink.tokenHash)).toEqual({
          ...claimedLink,
          claimedAt: at(HOUR),
        });
        expect(await store.findOnboardingLink(makeLink(2, theirs.accountId).tokenHash)).toEqual(
          makeLink(2, theirs.accountId),
        );

        const second = makeCredential(2, mine.accountId);
        const again = await store.claimOnboardingLink({
          tokenHash: claimedLink.tokenHash,
          now: at(3 * HOUR),
          initial: { credential: second, secret: makeSecret(2) },
          audit: claimAudit(mine.accountId, second, at(3 * HOUR)),
        });
        expect(again).toEqual({ outcome: "ALREADY_USED" });
      });

      it("replaceOnboardingLink revokes every earlier unclaimed link of the account", async () => {
        const account = await addAccount(makeAccount(1), makeLink(1, accountId(1)));
        const second = makeLink(2, account.accountId, { createdAt: at(HOUR) });
        const third = makeLink(3, account.accountId, { createdAt: at(2 * HOUR) });
        await store.replaceOnboardingLink({ link: second, audit: makeAudit(account.accountId) });
        await store.replaceOnboardingLink({ link: third, audit: makeAudit(account.accountId) });

        expect(
          (await store.findOnboardingLink(makeLink(1, account.accountId).tokenHash))?.revokedAt,
        ).not.toBeNull();
        expect((await store.findOnboardingLink(second.tokenHash))?.revokedAt).not.toBeNull();
        expect(await store.findOnboardingLink(third.tokenHash)).toEqual(third);
      });
    });

    describe("credentials", () => {
      it("keeps a credential's permissions, or none (everything)", async () => {
        const account = await addAccount(makeAccount(1));
        const limited = await addCredential(
          makeCredential(1, account.accountId, { permissions: ["credentials:read", "payments"] }),
        );
        const open = await addCredential(makeCredential(2, account.accountId));
        expect((await store.findCredential(account.accountId, limited.credentialId))?.permissions).toEqual([
          "credentials:read",
          "payments",
        ]);
        expect((await store.findCredentialByLookupId(limited.lookupId))?.credential.permissions).toEqual([
          "credentials:read",
          "payments",
        ]);
        expect((await store.findCredential(account.accountId, open.credentialId))?.permissions).toBeNull();
      });

      it("insertCredential stores an API key findable by lookup id with its secret hash and pepper version", async () => {
        const account = await addAccount(makeAccount(1));
        const credential = makeCredential(1, account.accountId, { description: "orders — live" });
        const secret = makeSecret(1);
        const audit = makeAudit(account.accountId, {
          action: "credential.created",
          targetType: "CREDENTIAL",
          targetId: credential.credentialId,
          sourceIp: "203.0.113.9",
          statusAfter: "ACTIVE",
          occurredAt: credential.createdAt,
        });
        await store.insertCredential({ credential, secret, audit });

        expect(await store.findCredentialByLookupId(credential.lookupId)).toEqual({ credential, secret });
        expect(await store.findCredentialByLookupId("lookup999999")).toBeNull();
        expect(await auditOf(account.accountId)).toContainEqual(audit);
      });

      it("a CLIENT credential has no secret and keeps its client id", async () => {
        const account = await addAccount(makeAccount(1));
        const client = await addCredential(makeClientCredential(1, account.accountId));
        const found = await store.findCredentialByLookupId(client.lookupId);
        expect(found).toEqual({ credential: client, secret: null });
        expect(found?.credential.clientId).toBe("klarna_live_client_1");
      });

      it("round-trips every credential field, including optional dates and the status reason", async () => {
        const account = await addAccount(makeAccount(1));
        const credential = await addCredential(
          makeCredential(1, account.accountId, {
            environment: "TEST",
            status: "DISABLED",
            statusReason: "INACTIVITY",
            createdAt: new Date("2026-03-01T12:00:00.123Z"),
            createdBy: "0190a1b2-c3d4-7000-8000-0000000000ff",
            lastUsedAt: new Date("2026-03-02T08:15:30.456Z"),
            disabledAt: new Date("2026-03-03T00:00:00.001Z"),
            expiresAt: new Date("2027-03-01T00:00:00.000Z"),
          }),
          { hash: "h", pepperVersion: 7 },
        );

        const found = await store.findCredential(account.accountId, credential.credentialId);
        expect(found).toEqual(credential);
        expect(found?.lastUsedAt?.getTime()).toBe(credential.lastUsedAt?.getTime());
        expect(found?.disabledAt?.getTime()).toBe(credential.disabledAt?.getTime());
        expect(found?.expiresAt?.getTime()).toBe(credential.expiresAt?.getTime());
        expect((await store.findCredentialByLookupId(credential.lookupId))?.secret).toEqual({
          hash: "h",
          pepperVersion: 7,
        });
      });

      it("insertCredential is atomic: when the audit insert fails, no credential remains", async () => {
        const account = await addAccount(makeAccount(1));
        const [creationAudit] = await auditOf(account.accountId);
        if (!creationAudit) throw new Error("expected the creation audit event");
        const credential = makeCredential(1, account.accountId);
        await expect(
          store.insertCredential({ credential, secret: makeSecret(1), audit: creationAudit }),
        ).rejects.toThrow();
        expect(await store.findCredential(account.accountId, credential.credentialId)).toBeNull();
        expect(await store.findCredentialByLookupId(credential.lookupId)).toBeNull();
      });

      it("findCredential is scoped by account", async () => {
        const mine = await addAccount(makeAccount(1));
        const theirs = await addAccount(makeAccount(2));
        const credential = await addCredential(makeCredential(1, mine.accountId), makeSecret(1));

        expect(await store.findCredential(mine.accountId, credential.credentialId)).toEqual(credential);
        expect(await store.findCredential(theirs.accountId, credential.credentialId)).toBeNull();
        expect(await store.findCredential(mine.accountId, credentialId(99))).toBeNull();
      });

      it("listCredentials filters by type, environment and status and leaves out DELETED by default", async () => {
        const mine = await addAccount(makeAccount(1));
        const theirs = await addAccount(makeAccount(2));
        const a = mine.accountId;
        const c1 = await addCredential(makeCredential(1, a), makeSecret(1));
        const c2 = await addCredential(makeClientCredential(2, a));
        const c3 = await addCredential(makeCredential(3, a, { environment: "TEST" }), makeSecret(3));
        const c4 = await addCredential(
          makeCredential(4, a, { status: "DISABLED", statusReason: "PARTNER", disabledAt: at(HOUR) }),
          makeSecret(4),
        );
        const c5 = await addCredential(makeCredential(5, a, { status: "DELETED", statusReason: "PARTNER" }));
        const c6 = await addCredential(
          makeClientCredential(6, a, { environment: "TEST", status: "DELETED", statusReason: "OPERATOR" }),
        );
        const c7 = await addCredential(makeCredential(7, theirs.accountId), makeSecret(7));
        const list = (query: Partial<Pick<Credential, "type" | "environment" | "status">>, owner = a) =>
          store.listCredentials({ accountId: owner, after: null, limit: 100, ...query });

        expect(await list({})).toEqual([c4, c3, c2, c1]);
        expect(await list({ type: "API" })).toEqual([c4, c3, c1]);
        expect(await list({ type: "CLIENT" })).toEqual([c2]);
        expect(await list({ environment: "TEST" })).toEqual([c3]);
        expect(await list({ environment: "LIVE" })).toEqual([c4, c2, c1]);
        expect(await list({ status: "ACTIVE" })).toEqual([c3, c2, c1]);
        expect(await list({ status: "DISABLED" })).toEqual([c4]);
        expect(await list({ status: "DELETED" })).toEqual([c6, c5]);
        expect(await list({ type: "API", environment: "LIVE" })).toEqual([c4, c1]);
        expect(await list({ type: "CLIENT", status: "DELETED" })).toEqual([c6]);
        expect(await list({ type: "CLIENT", environment: "LIVE", status: "DELETED" })).toEqual([]);
        expect(await list({}, theirs.accountId)).toEqual([c7]);
      });

      it("listCredentials pages newest first without overlap or gaps when created_at ties", async () => {
        const account = await addAccount(makeAccount(1));
        const minutes = [5, 5, 7, 7, 7, 9, 3];
        const credentials = minutes.map((m, i) =>
          makeCredential(i + 1, account.accountId, { createdAt: at(m * MINUTE) }),
        );
        for (const i of [3, 6, 0, 5, 1, 4, 2]) {
          const credential = credentials[i];
          if (credential) await addCredential(credential);
        }
        await addCredential(
          makeCredential(8, account.accountId, { createdAt: at(7 * MINUTE), status: "DELETED" }),
        );
        const expected = newestFirst(credentials, credentialPosition);
        expect(
          await store.listCredentials({ accountId: account.accountId, after: null, limit: 100 }),
        ).toEqual(expected);

        for (const limit of [1, 2, 3]) {
          const pages = await allPages(
            limit,
            (page) => store.listCredentials({ accountId: account.accountId, ...page }),
            credentialPosition,
          );
          expectPagesCover(pages, expected, limit);
        }
      });
    });

    describe("guarded status changes", () => {
      async function activeCredential(): Promise<Credential> {
        const account = await addAccount(makeAccount(1));
        return addCredential(makeCredential(1, account.accountId), makeSecret(1));
      }

      it("disableActiveCredential acts once and writes one audit event", async () => {
        const credential = await activeCredential();
        const audit = statusAudit(credential, "credential.disabled", at(HOUR));
        const disabled = await store.disableActiveCredential({
          accountId: credential.accountId,
          credentialId: credential.credentialId,
          at: at(HOUR),
          reason: "PARTNER",
          audit,
        });
        const expected = { ...credential, status: "DISABLED", statusReason: "PARTNER", disabledAt: at(HOUR) };
        expect(disabled).toEqual(expected);
        expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(expected);

        const again = await store.disableActiveCredential({
          accountId: credential.accountId,
          credentialId: credential.credentialId,
          at: at(2 * HOUR),
          reason: "OPERATOR",
          audit: statusAudit(credential, "credential.disabled", at(2 * HOUR)),
        });
        expect(again).toBeNull();
        expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(expected);
        const events = await auditOf(credential.accountId);
        expect(events.filter((e) => e.action === "credential.disabled")).toEqual([audit]);
      });

      it("disableActiveCredential is scoped by account and does not touch DELETED credentials", async () => {
        const credential = await activeCredential();
        const other = await addAccount(makeAccount(2));
        const deleted = await addCredential(makeCredential(2, credential.accountId, { status: "DELETED" }));
        const eventsBefore = await auditOf(credential.accountId);

        const wrongAccount = await store.disableActiveCredential({
          accountId: other.accountId,
          credentialId: credential.credentialId,
          at: at(HOUR),
          reason: "OPERATOR",
          audit: makeAudit(other.accountId, { action: "credential.disabled" }),
        });
        const tombstone = await store.disableActiveCredential({
          accountId: deleted.accountId,
          credentialId: deleted.credentialId,
          at: at(HOUR),
          reason: "OPERATOR",
          audit: statusAudit(deleted, "credential.disabled", at(HOUR)),
        });

        expect(wrongAccount).toBeNull();
        expect(tombstone).toBeNull();
        expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);
        expect(await store.findCredential(deleted.accountId, deleted.credentialId)).toEqual(deleted);
        expect(await auditOf(credential.accountId)).toEqual(eventsBefore);
        expect(await auditOf(other.accountId)).toHaveLength(1);
      });

      it("disableActiveCredential is atomic: when the audit insert fails, the credential stays ACTIVE", async () => {
        const credential = await activeCredential();
        const [existing] = await auditOf(credential.accountId);
        if (!existing) throw new Error("expected an audit event");
        await expect(
          store.disableActiveCredential({
            accountId: credential.accountId,
            credentialId: credential.credentialId,
            at: at(HOUR),
            reason: "PARTNER",
            audit: existing,
          }),
        ).rejects.toThrow();
        expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);
      });

      it("enableDisabledCredential acts only on a DISABLED credential, clears reason and disabled_at, restarts the inactivity clock", async () => {
        const credential = await activeCredential();
        const change = (hours: number, action: string) => ({
          accountId: credential.accountId,
          credentialId: credential.credentialId,
          at: at(hours * HOUR),
          audit: statusAudit(credential, action, at(hours * HOUR)),
        });

        expect(await store.enableDisabledCredential(change(1, "credential.enabled"))).toBeNull();
        expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(credential);
        expect((await auditOf(credential.accountId)).map((e) => e.action)).not.toContain(
          "credential.enabled",
        );

        await store.disableActiveCredential({ ...change(2, "credential.disabled"), reason: "INACTIVITY" });
        const enableChange = change(3, "credential.enabled");
        const enabled = await store.enableDisabledCredential(enableChange);
        const reactivated = { ...credential, activityAt: enableChange.at };
        expect(enabled).toEqual(reactivated);
        expect(enabled?.statusReason).toBeNull();
        expect(enabled?.disabledAt).toBeNull();
        expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(
          reactivated,
        );

        expect(await store.enableDisabledCredential(change(4, "credential.enabled"))).toBeNull();
        const actions = (await auditOf(credential.accountId)).map((e) => e.action);
        expect(actions).toEqual([
          "credential.enabled",
          "credential.disabled",
          "credential.created",
          "account.created",
        ]);
        expect(await auditOf(credential.accountId)).toContainEqual(enableChange.audit);
      });

      it("enableDisabledCredential does not revive a DELETED credential or act across accounts", async () => {
        const account = await addAccount(makeAccount(1));
        const other = await addAccount(makeAccount(2));
        const deleted = await addCredential(makeCredential(1, account.accountId, { status: "DELETED" }));
        const disabled = await addCredential(
          makeCredential(2, account.accountId, {
            status: "DISABLED",
            statusReason: "OPERATOR",
            disabledAt: at(0),
          }),
        );

        const revive = await store.enableDisabledCredential({
          accountId: account.accountId,
          credentialId: deleted.credentialId,
          at: at(HOUR),
          audit: statusAudit(deleted, "credential.enabled", at(HOUR)),
        });
        const foreign = await store.enableDisabledCredential({
          accountId: other.accountId,
          credentialId: disabled.credentialId,
          at: at(HOUR),
          audit: makeAudit(other.accountId, { action: "credential.enabled" }),
        });

        expect(revive).toBeNull();
        expect(foreign).toBeNull();
        expect(await store.findCredential(account.accountId, deleted.credentialId)).toEqual(deleted);
        expect(await store.findCredential(account.accountId, disabled.credentialId)).toEqual(disabled);
      });

      it("updateCredentialDescription updates ACTIVE and DISABLED credentials but not DELETED ones", async () => {
        const account = await addAccount(makeAccount(1));
        const active = await addCredential(makeCredential(1, account.accountId));
        const disabled = await addCredential(
          makeCredential(2, account.accountId, {
            status: "DISABLED",
            statusReason: "PARTNER",
            disabledAt: at(0),
          }),
        );
        const deleted = await addCredential(makeCredential(3, account.accountId, { status: "DELETED" }));
        const update = (credential: Credential, description: string, owner = credential.accountId) =>
          store.updateCredentialDescription({
            accountId: owner,
            credentialId: credential.credentialId,
            description,
            audit: statusAudit(credential, "credential.updated", at(HOUR)),
          });

        expect(await update(active, "renamed")).toEqual({ ...active, description: "renamed" });
        expect(await update(disabled, "still off")).toEqual({ ...disabled, description: "still off" });
        const eventsBefore = await auditOf(account.accountId);
        expect(await update(deleted, "ghost")).toBeNull();
        expect(await store.findCredential(account.accountId, deleted.credentialId)).toEqual(deleted);
        expect(await auditOf(account.accountId)).toEqual(eventsBefore);

        const other = await addAccount(makeAccount(2));
        expect(await update(active, "hijacked", other.accountId)).toBeNull();
        expect((await store.findCredential(account.accountId, active.credentialId))?.description).toBe(
          "renamed",
        );
        expect(eventsBefore.filter((e) => e.action === "credential.updated")).toHaveLength(2);
      });

      it("concurrent disables of one credential: exactly one wins and one audit event is written", async () => {
        const credential = await activeCredential();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.disableActiveCredential({
              accountId: credential.accountId,
              credentialId: credential.credentialId,
              at: at(HOUR + i),
              reason: "OPERATOR",
              audit: statusAudit(credential, "credential.disabled", at(HOUR + i)),
            }),
          ),
        );
        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        expect(winners[0]?.status).toBe("DISABLED");
        const events = await auditOf(credential.accountId);
        expect(events.filter((e) => e.action === "credential.disabled")).toHaveLength(1);
        expect(await store.findCredential(credential.accountId, credential.credentialId)).toEqual(winners[0]);
      });
    });

    describe("recordCredentialUses", () => {
      it("sets last_used_at and never moves it backwards", async () => {
        const account = await addAccount(makeAccount(1));
        const c1 = await addCredential(makeCredential(1, account.accountId), makeSecret(1));
        const c2 = await addCredential(makeClientCredential(2, account.accountId));
        const c3 = await addCredential(makeCredential(3, account.accountId), makeSecret(3));
        const lastUsed = async (c: Credential) =>
          (await store.findCredential(c.accountId, c.credentialId))?.lastUsedAt ?? null;

        await store.recordCredentialUses([
          { credentialId: c1.credentialId, usedAt: at(HOUR), sourceIp: "203.0.113.7" },
          { credentialId: c2.credentialId, usedAt: at(2 * HOUR), sourceIp: null },
        ]);
        expect(await lastUsed(c1)).toEqual(at(HOUR));
        expect(await lastUsed(c2)).toEqual(at(2 * HOUR));
        expect(await lastUsed(c3)).toBeNull();

        await store.recordCredentialUses([
          { credentialId: c1.credentialId, usedAt: at(30 * MINUTE), sourceIp: null },
        ]);
        expect(await lastUsed(c1)).toEqual(at(HOUR));

        await store.recordCredentialUses([
          { credentialId: c1.credentialId, usedAt: at(3 * HOUR), sourceIp: null },
        ]);
        expect(await lastUsed(c1)).toEqual(at(3 * HOUR));

        await store.recordCredentialUses([
          { credentialId: c2.credentialId, usedAt: at(5 * HOUR), sourceIp: null },
          { credentialId: c2.credentialId, usedAt: at(4 * HOUR), sourceIp: null },
        ]);
        expect(await lastUsed(c2)).toEqual(at(5 * HOUR));
        expect(await lastUsed(c1)).toEqual(at(3 * HOUR));
      });

      it("an empty batch is a no-op", async () => {
        const account = await addAccount(makeAccount(1));
        const credential = await addCredential(
          makeCredential(1, account.accountId, { lastUsedAt: at(HOUR) }),
        );
        await expect(store.recordCredentialUses([])).resolves.toBeUndefined();
        expect(await store.findCredential(account.accountId, credential.credentialId)).toEqual(credential);
      });
    });

    describe("countPartnerAccounts", () => {
      it("counts an Acquiring Partner's Partner Accounts only", async () => {
        const parent = await addAccount(makeAccount(1));
        const other = await addAccount(makeAccount(2));
        expect(await store.countPartnerAccounts(parent.accountId)).toBe(0);
        for (const n of [3, 4]) {
          await addAccount(makeAccount(n, { kind: "PARTNER_ACCOUNT", parentAccountId: parent.accountId }));
        }
        await addAccount(makeAccount(5, { kind: "PARTNER_ACCOUNT", parentAccountId: other.accountId }));
        expect(await store.countPartnerAccounts(parent.accountId)).toBe(2);
        expect(await store.countPartnerAccounts(other.accountId)).toBe(1);
      });
    });

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
        const theirCredential = await addCredential(
          makeCredential(2, theirs.accountId, { createdAt: at(0) }),
        );
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

    describe("suspension", () => {
      it("suspendAccount acts once, keeps time and reason, and writes one audit event; resumeAccount undoes it once", async () => {
        const account = await addAccount(makeAccount(1));
        const other = await addAccount(makeAccount(2));
        const suspended = await store.suspendAccount({
          accountId: account.accountId,
          at: at(HOUR),
          reason: "fraud review",
          audit: makeAudit(account.accountId, { action: "account.suspended", occurredAt: at(HOUR) }),
        });
        expect(suspended).toEqual({ ...account, suspension: { at: at(HOUR), reason: "fraud review" } });
        expect(await store.findAccount(account.accountId)).toEqual(suspended);
        expect(await store.findAccount(other.accountId)).toEqual(other);

        const again = await store.suspendAccount({
          accountId: account.accountId,
          at: at(2 * HOUR),
          reason: "second",
          audit: makeAudit(account.accountId, { action: "account.suspended" }),
        });
        expect(again).toBeNull();
        expect((await store.findAccount(account.accountId))?.suspension).toEqual({
          at: at(HOUR),
          reason: "fraud review",
        });
        expect(
          (await auditOf(account.accountId)).filter((e) => e.action === "account.suspended"),
        ).toHaveLength(1);

        const resumed = await store.resumeAccount({
          accountId: account.accountId,
          audit: makeAudit(account.accountId, { action: "account.resumed" }),
        });
        expect(resumed).toEqual(account);
        expect(
          await store.resumeAccount({
            accountId: account.accountId,
            audit: makeAudit(account.accountId, { action: "account.resumed" }),
          }),
        ).toBeNull();
        expect((await auditOf(account.accountId)).filter((e) => e.action === "account.resumed")).toHaveLength(
          1,
        );
      });

      it("a suspension without a reason round-trips, leaves credentials alone, and unknown accounts are null", async () => {
        const account = await addAccount(makeAccount(1));
        const active = await addCredential(makeCredential(1, account.accountId));
        const disabled = await addCredential(
          makeCredential(2, account.accountId, {
            status: "DISABLED",
            statusReason: "PARTNER",
            disabledAt: at(HOUR),
          }),
        );
        await store.suspendAccount({
          accountId: account.accountId,
          at: at(HOUR),
          reason: null,
          audit: makeAudit(account.accountId, { action: "account.suspended" }),
        });
        expect((await store.findAccount(account.accountId))?.suspension).toEqual({
          at: at(HOUR),
          reason: null,
        });
        expect(await store.findCredential(account.accountId, active.credentialId)).toEqual(active);
        expect(await store.findCredential(account.accountId, disabled.credentialId)).toEqual(disabled);
        const listed = await store.listAccounts({ after: null, limit: 10 });
        expect(listed[0]?.suspension).toEqual({ at: at(HOUR), reason: null });
        expect(
          await store.suspendAccount({
            accountId: accountId(99),
            at: at(HOUR),
            reason: null,
            audit: makeAudit(accountId(99)),
          }),
        ).toBeNull();
        expect(
          await store.resumeAccount({ accountId: accountId(99), audit: makeAudit(accountId(99)) }),
        ).toBeNull();
      });
    });

    describe("credential counts and the operator's listing", () => {
      it("countCredentialsByStatus counts every status, tombstones included; listCredentials includes DELETED when asked", async () => {
        const account = await addAccount(makeAccount(1));
        const other = await addAccount(makeAccount(2));
        expect(await store.countCredentialsByStatus(account.accountId)).toEqual({
          ACTIVE: 0,
          DISABLED: 0,
          DELETED: 0,
        });
        await addCredential(makeCredential(1, account.accountId));
        await addCredential(makeCredential(2, account.accountId));
        await addCredential(
          makeCredential(3, account.accountId, { status: "DISABLED", statusReason: "OPERATOR" }),
        );
        const deleted = await addCredential(
          makeCredential(4, account.accountId, { status: "DELETED", deletedAt: at(DAY) }),
        );
        await addCredential(makeCredential(5, other.accountId));
        expect(await store.countCredentialsByStatus(account.accountId)).toEqual({
          ACTIVE: 2,
          DISABLED: 1,
          DELETED: 1,
        });
        const page = { after: null, limit: 10 };
        const all = await store.listCredentials({
          accountId: account.accountId,
          includeDeleted: true,
          ...page,
        });
        expect(all.map((c) => c.credentialId)).toEqual([4, 3, 2, 1].map(credentialId));
        expect(all[0]).toEqual(deleted);
        const usual = await store.listCredentials({ accountId: account.accountId, ...page });
        expect(usual.map((c) => c.credentialId)).toEqual([3, 2, 1].map(credentialId));
        const onlyActive = await store.listCredentials({
          accountId: account.accountId,
          status: "ACTIVE",
          includeDeleted: true,
          ...page,
        });
        expect(onlyActive.map((c) => c.credentialId)).toEqual([2, 1].map(credentialId));
      });
    });

    describe("client certificates and mTLS lock-out", () => {
      async function addCertificate(certificate: ClientCertificate): Promise<ClientCertificate> {
        await store.insertClientCertificate({
          certificate,
          audit: makeAudit(certificate.accountId, {
            action: "client_certificate.created",
            targetType: "CLIENT_CERTIFICATE",
            targetId: certificate.certificateId,
          }),
        });
        return certificate;
      }

      function revoke(certificate: ClientCertificate, options: { allowLockOut: boolean; at?: Date }) {
        return store.revokeClientCertificate({
          accountId: certificate.accountId,
          certificateId: certificate.certificateId,
          at: options.at ?? at(HOUR),
          allowLockOut: options.allowLockOut,
          audit: makeAudit(certificate.accountId, {
            action: "client_certificate.revoked",
            targetType: "CLIENT_CERTIFICATE",
            targetId: certificate.certificateId,
          }),
        });
      }

      async function enforce(owner: string, from: Date | null): Promise<void> {
        await store.setMtlsEnforcement({
          accountId: owner,
          enforcedFrom: from,
          audit: makeAudit(owner, { action: "mtls_enforcement.set" }),
        });
      }

      const revocations = async (owner: string) =>
        (await auditOf(owner)).filter((e) => e.action === "client_certificate.revoked").length;

      it("countUsableClientCertificates counts only certificates not revoked and within validity", async () => {
        const account = await addAccount(makeAccount(1));
        const other = await addAccount(makeAccount(2));
        await addCertificate(makeCertificate(1, account.accountId));
        await addCertificate(makeCertificate(2, account.accountId, { notAfter: at(HOUR) }));
        await addCertificate(makeCertificate(3, account.accountId, { notBefore: at(2 * DAY) }));
        await addCertificate(makeCertificate(4, account.accountId, { revokedAt: at(MINUTE) }));
        await addCertificate(makeCertificate(5, other.accountId));
        expect(await store.countUsableClientCertificates(account.accountId, at(MINUTE))).toBe(2);
        expect(await store.countUsableClientCertificates(account.accountId, at(HOUR))).toBe(1);
        expect(await store.countUsableClientCertificates(account.accountId, at(3 * DAY))).toBe(2);
        expect(await store.countUsableClientCertificates(accountId(99), at(MINUTE))).toBe(0);
      });

      it("revokes once; an unknown or revoked certificate is NOT_REVOCABLE and writes nothing", async () => {
        const account = await addAccount(makeAccount(1));
        const certificate = await addCertificate(makeCertificate(1, account.accountId));
        const first = await revoke(certificate, { allowLockOut: false });
        expect(first).toEqual({ outcome: "REVOKED", certificate: { ...certificate, revokedAt: at(HOUR) } });
        expect(await revoke(certificate, { allowLockOut: true })).toEqual({ outcome: "NOT_REVOCABLE" });
        expect(await revoke(makeCertificate(9, account.accountId), { allowLockOut: true })).toEqual({
          outcome: "NOT_REVOCABLE",
        });
        expect(await revocations(account.accountId)).toBe(1);
      });

      it("refuses to revoke the last usable certificate while mTLS is enforced or scheduled, unless allowed", async () => {
        const account = await addAccount(makeAccount(1));
        const only = await addCertificate(makeCertificate(1, account.accountId));
        // Scheduled for later counts as enforcement.
        await enforce(account.accountId, at(DAY));
        expect(await revoke(only, { allowLockOut: false })).toEqual({ outcome: "WOULD_LOCK_OUT" });
        expect(
          (await store.findClientCertificate(account.accountId, only.certificateId))?.revokedAt,
        ).toBeNull();
        expect(await revocations(account.accountId)).toBe(0);

        const second = await addCertificate(makeCertificate(2, account.accountId));
        expect((await revoke(only, { allowLockOut: false })).outcome).toBe("REVOKED");
        expect(await revoke(second, { allowLockOut: false })).toEqual({ outcome: "WOULD_LOCK_OUT" });
        expect((await revoke(second, { allowLockOut: true })).outcome).toBe("REVOKED");
        expect(await revocations(account.accountId)).toBe(2);
      });

      it("lets an expired certificate or one of an account without enforcement go", async () => {
        const enforcing = await addAccount(makeAccount(1));
        const expired = await addCertificate(
          makeCertificate(1, enforcing.accountId, { notAfter: at(MINUTE) }),
        );
        await enforce(enforcing.accountId, at(0));
        expect((await revoke(expired, { allowLockOut: false })).outcome).toBe("REVOKED");

        const relaxed = await addAccount(makeAccount(2));
        const last = await addCertificate(makeCertificate(2, relaxed.accountId));
        expect((await revoke(last, { allowLockOut: false })).outcome).toBe("REVOKED");
      });

      it("concurrent revocations of an enforcing account's last two certificates: exactly one succeeds", async () => {
        const pairs = await Promise.all(
          Array.from({ length: 8 }, async (_, i) => {
            const account = await addAccount(makeAccount(i + 1));
            const a = await addCertificate(makeCertificate(2 * i + 1, account.accountId));
            const b = await addCertificate(makeCertificate(2 * i + 2, account.accountId));
            await enforce(account.accountId, at(0));
            return { account, a, b };
          }),
        );
        const outcomes = await Promise.all(
          pairs.map(({ a, b }) =>
            Promise.all([revoke(a, { allowLockOut: false }), revoke(b, { allowLockOut: false })]),
          ),
        );
        for (const [i, pair] of outcomes.entries()) {
          expect(pair.map((o) => o.outcome).sort(), `account ${i + 1}`).toEqual([
            "REVOKED",
            "WOULD_LOCK_OUT",
          ]);
        }
        for (const { account } of pairs) {
          expect(await store.countUsableClientCertificates(account.accountId, at(HOUR))).toBe(1);
          expect(await revocations(account.accountId)).toBe(1);
        }
      });
    });

    describe("idempotency keys", () => {
      it("marks a key APPLIED with the change it was reserved for, and refuses a change whose key was taken over", async () => {
        const account = await addAccount(makeAccount(1));
        const first = makeIdempotency("key-taken", { createdAt: at(0) });
        expect(await store.reserveIdempotencyKey(first)).toBeNull();
        // A retry takes the key over after the first request seemed to have died.
        const second = makeIdempotency("key-taken", { createdAt: at(2 * MINUTE) });
        expect(await store.reserveIdempotencyKey(second, at(MINUTE))).toBeNull();
        const late = makeCredential(1, account.accountId);
        await expect(
          store.insertCredential({
            credential: late,
            secret: makeSecret(1),
            audit: makeAudit(account.accountId, { targetType: "CREDENTIAL", targetId: late.credentialId }),
            idempotency: { keyHash: "key-taken", reservedAt: at(0), resourceId: late.credentialId },
          }),
        ).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_IN_USE" });
        expect(await store.findCredential(account.accountId, late.credentialId)).toBeNull();
        const current = makeCredential(2, account.accountId);
        await store.insertCredential({
          credential: current,
          secret: makeSecret(2),
          audit: makeAudit(account.accountId, { targetType: "CREDENTIAL", targetId: current.credentialId }),
          idempotency: { keyHash: "key-taken", reservedAt: at(2 * MINUTE), resourceId: current.credentialId },
        });
        const again = await store.reserveIdempotencyKey(
          makeIdempotency("key-taken", { createdAt: at(3 * MINUTE) }),
          at(2 * MINUTE + 1),
        );
        expect(again).toMatchObject({ state: "APPLIED", resourceId: current.credentialId });
      });

      it("reserve returns null first, then the live PENDING record", async () => {
        const record = makeIdempotency("key-1");
        expect(await store.reserveIdempotencyKey(record)).toBeNull();
        const retry = makeIdempotency("key-1", {
          requestHash: "request-hash-2",
          createdAt: at(MINUTE),
          expiresAt: at(MINUTE + DAY),
        });
        expect(await store.reserveIdempotencyKey(retry)).toEqual(record);
        expect(await store.reserveIdempotencyKey(makeIdempotency("key-2"))).toBeNull();
      });

      it("complete stores the response: a later reserve returns it as COMPLETE", async () => {
        const record = makeIdempotency("key-1");
        await store.reserveIdempotencyKey(record);
        await store.completeIdempotencyKey({
          keyHash: "key-1",
          responseStatus: 201,
          responseCiphertext: "v1.nonce.ciphertext",
        });
        expect(await store.reserveIdempotencyKey(makeIdempotency("key-1", { createdAt: at(HOUR) }))).toEqual({
          ...record,
          state: "COMPLETE",
          responseStatus: 201,
          responseCiphertext: "v1.nonce.ciphertext",
        });
      });

      it("release deletes only PENDING records", async () => {
        await store.reserveIdempotencyKey(makeIdempotency("pending"));
        await store.releaseIdempotencyKey("pending");
        expect(await store.reserveIdempotencyKey(makeIdempotency("pending"))).toBeNull();

        const complete = makeIdempotency("complete");
        await store.reserveIdempotencyKey(complete);
        await store.completeIdempotencyKey({
          keyHash: "complete",
          responseStatus: 200,
          responseCiphertext: "c",
        });
        await store.releaseIdempotencyKey("complete");
        expect(await store.reserveIdempotencyKey(makeIdempotency("complete"))).toMatchObject({
          state: "COMPLETE",
          responseStatus: 200,
          responseCiphertext: "c",
        });

        await expect(store.releaseIdempotencyKey("never-reserved")).resolves.toBeUndefined();
      });

      it("a record that expired by the new record's created_at is replaced", async () => {
        const old = makeIdempotency("key-1", { createdAt: at(0), expiresAt: at(DAY) });
        await store.reserveIdempotencyKey(old);
        await store.completeIdempotencyKey({
          keyHash: "key-1",
          responseStatus: 201,
          responseCiphertext: "old",
        });

        const stillLive = makeIdempotency("key-1", { createdAt: at(DAY - 1), expiresAt: at(2 * DAY) });
        expect(await store.reserveIdempotencyKey(stillLive)).toMatchObject({ requestHash: old.requestHash });

        const replacement = makeIdempotency("key-1", {
          requestHash: "request-hash-new",
          createdAt: at(DAY),
          expiresAt: at(2 * DAY),
        });
        expect(await store.reserveIdempotencyKey(replacement)).toBeNull();
        const probe = makeIdempotency("key-1", { createdAt: at(DAY + 1), expiresAt: at(3 * DAY) });
        expect(await store.reserveIdempotencyKey(probe)).toEqual(replacement);
      });
    });
  });
}
