import { expect, it } from "vitest";
import type { Credential } from "../../src/domain/types.ts";
import {
  at,
  credentialId,
  HOUR,
  MINUTE,
  makeAccount,
  makeAudit,
  makeClientCredential,
  makeCredential,
  makeSecret,
} from "./fixtures.ts";
import { contractArea } from "./harness.ts";
import { allPages, credentialPosition, expectPagesCover, newestFirst } from "./paging.ts";

/** Credentials: storing one with its event, finding it by lookup id or by account, listing them. */
export const credentials = contractArea("credentials", "credentials", (ctx) => {
  const { store, addAccount, addCredential, auditOf } = ctx;

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

  it("lookups asked for at the same time each get their own credential, or null", async () => {
    const account = await addAccount(makeAccount(1));
    const stored: Credential[] = [];
    for (let i = 1; i <= 30; i++)
      stored.push(await addCredential(makeCredential(i, account.accountId), makeSecret(i)));
    const asked = [...stored, ...stored.slice(0, 5)].map((c) => c.lookupId);
    asked.splice(7, 0, "lookup999998", "lookup999999");
    const found = await Promise.all(asked.map((lookupId) => store.findCredentialByLookupId(lookupId)));
    expect(found.map((f) => f?.credential.credentialId ?? null)).toEqual(
      asked.map((lookupId) => stored.find((c) => c.lookupId === lookupId)?.credentialId ?? null),
    );
    expect(found[0]?.secret).toEqual(makeSecret(1));
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
    expect(await store.viewCredential(account.accountId, credential.credentialId)).toEqual(credential);
    expect(await store.viewCredential("another-account", credential.credentialId)).toBeNull();
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
    // The list for showing answers the same.
    const shown = (query: Partial<Pick<Credential, "type" | "environment" | "status">>) =>
      store.viewCredentials({ accountId: a, after: null, limit: 100, ...query });
    expect(await shown({})).toEqual([c4, c3, c2, c1]);
    expect(await shown({ type: "CLIENT", status: "DELETED" })).toEqual([c6]);
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
    expect(await store.listCredentials({ accountId: account.accountId, after: null, limit: 100 })).toEqual(
      expected,
    );

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
