import { randomUUID } from "node:crypto";
import { crc32 } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storeWithAccount, testAccount } from "../../test/service-fixtures.ts";
import { encodeBase62 } from "../domain/base62.ts";
import { generateKey } from "../domain/key-format.ts";
import type { PepperRing } from "../domain/secret-hash.ts";
import type { AuditEvent } from "../domain/types.ts";
import { cachingStore } from "../store/caching-store.ts";
import { type BusState, LocalBus } from "../store/invalidation-bus.ts";
import type { Store } from "../store/port.ts";
import { VerificationCache } from "../store/verification-cache.ts";
import { systemRandom } from "../system.ts";
import { Authenticator } from "./authenticator.ts";
import { mintCredential } from "./credential-factory.ts";

/** The authenticator over the real SQLite store behind the verification cache, on a test clock. */

const pepper = { version: 1, secret: "p".repeat(32) };
const peppers: PepperRing = { current: pepper, byVersion: new Map([[1, pepper]]) };
const accountId = "krn:partner:global:account:live:CACHE001";
const account = testAccount({ accountId, name: "Cache Test", kind: "PARTNER_ACCOUNT" });

class TestBus extends LocalBus {
  down = false;
  override state(): BusState {
    return this.down ? "DOWN" : super.state();
  }
}

let now = Date.parse("2026-06-01T00:00:00Z");
const clock = { now: () => new Date(now) };
let inner: Store;
let store: Store;
let bus: TestBus;
let counts: { hit: number; miss: number };
let authenticator: Authenticator;

function audit(action: string, targetId = accountId): AuditEvent {
  return {
    eventId: `e-${action}-${randomUUID()}`,
    accountId,
    action,
    actor: "operator",
    targetType: targetId === accountId ? "ACCOUNT" : "CREDENTIAL",
    targetId,
    sourceIp: null,
    statusBefore: null,
    statusAfter: null,
    reason: null,
    occurredAt: clock.now(),
  };
}

function setUp(maxEntries: number) {
  bus = new TestBus();
  counts = { hit: 0, miss: 0 };
  const cache = new VerificationCache({
    ttlMs: 60_000,
    fallbackTtlMs: 5_000,
    maxEntries,
    bus,
    clock,
    counters: { hit: () => counts.hit++, miss: () => counts.miss++ },
  });
  store = cachingStore(inner, { cache, bus });
  authenticator = new Authenticator(
    { store, clock, random: systemRandom },
    { brand: "klarna", peppers, verified: cache },
  );
}

beforeEach(async () => {
  now = Date.parse("2026-06-01T00:00:00Z");
  inner = await storeWithAccount(account);
  setUp(100);
});
afterEach(async () => inner.close());

async function insertKey(expiresAt: Date | null = null) {
  const minted = mintCredential(
    { store, clock, random: systemRandom },
    { brand: "klarna", peppers },
    { accountId, type: "API", environment: "LIVE", description: "", createdBy: "operator" },
  );
  minted.credential.expiresAt = expiresAt;
  await store.insertCredential({
    ...minted,
    audit: audit("credential.created", minted.credential.credentialId),
  });
  const { lookupId, credentialId } = minted.credential;
  return { key: minted.apiKey ?? "", credentialId, lookupId };
}

/** Disables a credential through `target`: the caching store (announced) or the store under it (not). */
async function disable(target: Store, credentialId: string): Promise<void> {
  await target.disableActiveCredential({
    accountId,
    credentialId,
    at: clock.now(),
    reason: "PARTNER",
    audit: audit("credential.disabled", credentialId),
  });
}

describe("verified keys in the verification cache", () => {
  it("answers a repeated valid key from memory: no store read", async () => {
    const { key } = await insertKey();
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
    expect(counts).toEqual({ hit: 0, miss: 1 });
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
    expect(counts).toEqual({ hit: 2, miss: 1 });
  });

  it("reads a verified key's credential and account again once their entries are too old", async () => {
    const { key, credentialId } = await insertKey();
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
    await disable(inner, credentialId);
    now += 60_000;
    expect((await authenticator.authenticate(key)).result).toBe("DISABLED");
    expect(counts).toEqual({ hit: 0, miss: 2 });
  });

  it("still refuses a wrong secret for the lookup id of a cached valid key", async () => {
    const { key, lookupId } = await insertKey();
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
    // Same lookup id, another secret, a valid checksum: only the HMAC comparison can catch it.
    const other = generateKey({ brand: "klarna", environment: "LIVE", type: "API", random: systemRandom });
    const forged = `klarna_live_api_${lookupId}${other.key.slice(28, 60)}`;
    const signed = forged + encodeBase62(crc32(forged), 6);
    expect((await authenticator.authenticate(signed)).result).toBe("WRONG_SECRET");
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
  });

  it("drops a cached key when its credential is disabled, and its account suspended", async () => {
    const first = await insertKey();
    const second = await insertKey();
    for (const { key } of [first, second])
      expect((await authenticator.authenticate(key)).result).toBe("VALID");
    await disable(store, first.credentialId);
    expect((await authenticator.authenticate(first.key)).result).toBe("DISABLED");
    expect((await authenticator.authenticate(second.key)).result).toBe("VALID");
    await store.suspendAccount({
      accountId,
      at: clock.now(),
      reason: null,
      audit: audit("account.suspended"),
    });
    expect((await authenticator.authenticate(second.key)).result).toBe("SUSPENDED");
  });

  it("drops every cached key of an account when the account changes", async () => {
    const keys = [await insertKey(), await insertKey(), await insertKey()];
    for (const { key } of keys) expect((await authenticator.authenticate(key)).result).toBe("VALID");
    await store.suspendAccount({
      accountId,
      at: clock.now(),
      reason: null,
      audit: audit("account.suspended"),
    });
    for (const { key } of keys) expect((await authenticator.authenticate(key)).result).toBe("SUSPENDED");
  });

  it("refuses a cached key from the end of its overlap, without any announcement", async () => {
    const { key } = await insertKey(new Date(now + 1_000));
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
    now += 1_000;
    expect((await authenticator.authenticate(key)).result).toBe("EXPIRED");
  });

  it("trusts a cached key only for the fallback lifetime while the bus is down", async () => {
    const { key, credentialId } = await insertKey();
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
    bus.down = true;
    // Changed by another instance whose announcement is lost: only the lifetime bounds staleness.
    await disable(inner, credentialId);
    now += 4_999;
    expect((await authenticator.authenticate(key)).result).toBe("VALID");
    now += 1;
    expect((await authenticator.authenticate(key)).result).toBe("DISABLED");
  });

  it("forgets the least recently used keys past its size, and verifies them again", async () => {
    setUp(2);
    const keys = [await insertKey(), await insertKey(), await insertKey()];
    for (const { key } of keys) expect((await authenticator.authenticate(key)).result).toBe("VALID");
    expect(counts.miss).toBe(3);
    // The two most recent are still held; the first was evicted and costs a read again.
    for (const { key } of keys.slice(1)) expect((await authenticator.authenticate(key)).result).toBe("VALID");
    expect(counts.miss).toBe(3);
    expect((await authenticator.authenticate(keys[0]?.key ?? "")).result).toBe("VALID");
    expect(counts.miss).toBe(4);
  });
});
