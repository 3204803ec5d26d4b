import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storeWithAccount, testAccount } from "../../test/service-fixtures.ts";
import { generateKey } from "../domain/key-format.ts";
import type { PepperRing } from "../domain/secret-hash.ts";
import type { Store } from "../store/port.ts";
import { systemClock, systemRandom } from "../system.ts";
import { Authenticator } from "./authenticator.ts";
import { mintCredential } from "./credential-factory.ts";
import type { ServiceRuntime } from "./runtime.ts";

const peppers: PepperRing = (() => {
  const current = { version: 2, secret: "p".repeat(32) };
  const previous = { version: 1, secret: "o".repeat(32) };
  return {
    current,
    byVersion: new Map([
      [1, previous],
      [2, current],
    ]),
  };
})();

const account = testAccount({
  accountId: "krn:partner:global:account:live:AUTH0001",
  name: "Auth Test",
  kind: "ACQUIRING_PARTNER",
});

let store: Store;
let reads: number;
let runtime: ServiceRuntime;
let authenticator: Authenticator;

/** The real SQLite store, with its credential reads counted. */
function counting(inner: Store): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "findCredentialByLookupId" && typeof value === "function") {
        return (...args: unknown[]) => {
          reads++;
          return value.apply(target, args);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

beforeEach(async () => {
  reads = 0;
  store = counting(await storeWithAccount(account));
  runtime = { store, clock: systemClock, random: systemRandom };
  authenticator = new Authenticator(runtime, { brand: "klarna", peppers });
});
afterEach(async () => store.close());

async function insert(
  overrides: { status?: "ACTIVE" | "DISABLED" | "DELETED"; type?: "API" | "CLIENT"; pepper?: 1 | 2 } = {},
) {
  const ring =
    overrides.pepper === 1 ? { ...peppers, current: peppers.byVersion.get(1) ?? peppers.current } : peppers;
  const minted = mintCredential(
    runtime,
    { brand: "klarna", peppers: ring },
    {
      accountId: account.accountId,
      type: overrides.type ?? "API",
      environment: "LIVE",
      description: "",
      createdBy: "operator",
    },
  );
  minted.credential.status = overrides.status ?? "ACTIVE";
  await store.insertCredential({
    ...minted,
    audit: {
      eventId: `e-${minted.credential.credentialId}`,
      accountId: account.accountId,
      action: "credential.created",
      actor: "operator",
      targetType: "CREDENTIAL",
      targetId: minted.credential.credentialId,
      sourceIp: null,
      statusBefore: null,
      statusAfter: "ACTIVE",
      reason: null,
      occurredAt: new Date(),
    },
  });
  return minted;
}

describe("Authenticator", () => {
  it("accepts an active API key", async () => {
    const minted = await insert();
    const result = await authenticator.authenticate(minted.apiKey ?? "");
    expect(result).toMatchObject({ result: "VALID", account: { accountId: account.accountId } });
  });

  it("verifies keys hashed under an older pepper version", async () => {
    const minted = await insert({ pepper: 1 });
    expect(minted.secret?.pepperVersion).toBe(1);
    expect((await authenticator.authenticate(minted.apiKey ?? "")).result).toBe("VALID");
  });

  it("rejects malformed keys and failed checksums without reading the store", async () => {
    const minted = await insert();
    const key = minted.apiKey ?? "";
    const garbage = [
      "",
      "klarna",
      "klarna_live_api_",
      `${key}x`,
      key.toUpperCase(),
      `${key.slice(0, -1)}${key.endsWith("0") ? "1" : "0"}`,
    ];
    for (let i = 16; i < key.length; i += 7) {
      const c = key[i] === "a" ? "b" : "a";
      garbage.push(key.slice(0, i) + c + key.slice(i + 1));
    }
    for (const presented of garbage) {
      expect((await authenticator.authenticate(presented)).result, presented).toBe("MALFORMED");
    }
    expect(reads).toBe(0);
  });

  it("tells unknown, disabled, deleted and client credentials apart internally, never valid", async () => {
    const unknown = generateKey({ brand: "klarna", environment: "LIVE", type: "API", random: systemRandom });
    expect((await authenticator.authenticate(unknown.key)).result).toBe("UNKNOWN");
    const disabled = await insert({ status: "DISABLED" });
    expect((await authenticator.authenticate(disabled.apiKey ?? "")).result).toBe("DISABLED");
    const deleted = await insert({ status: "DELETED" });
    expect((await authenticator.authenticate(deleted.apiKey ?? "")).result).toBe("DELETED");
    const client = await insert({ type: "CLIENT" });
    expect((await authenticator.authenticate(client.credential.clientId ?? "")).result).toBe(
      "NOT_AN_API_KEY",
    );
    expect(reads).toBe(3);
  });

  it("rejects a well-formed key whose secret does not match the stored hash", async () => {
    const minted = await insert();
    const other = generateKey({ brand: "klarna", environment: "LIVE", type: "API", random: systemRandom });
    // Same lookup id, different secret, valid checksum: only the HMAC comparison can catch it.
    const forged = `klarna_live_api_${minted.credential.lookupId}${other.key.slice(28, 60)}`;
    const { crc32 } = await import("node:zlib");
    const { encodeBase62 } = await import("../domain/base62.ts");
    const signed = forged + encodeBase62(crc32(forged), 6);
    expect((await authenticator.authenticate(signed)).result).toBe("WRONG_SECRET");
  });
});

describe("Authenticator and suspension", () => {
  const audit = (action: string) => ({
    eventId: `e-${action}`,
    accountId: account.accountId,
    action,
    actor: "operator:alice",
    targetType: "ACCOUNT" as const,
    targetId: account.accountId,
    sourceIp: null,
    statusBefore: null,
    statusAfter: null,
    reason: null,
    occurredAt: new Date(),
  });

  it("refuses every key of a suspended account as SUSPENDED, and accepts it again on resume", async () => {
    const active = await insert();
    const disabled = await insert({ status: "DISABLED" });
    await store.suspendAccount({
      accountId: account.accountId,
      at: new Date(),
      reason: "fraud review",
      audit: audit("account.suspended"),
    });
    expect((await authenticator.authenticate(active.apiKey ?? "")).result).toBe("SUSPENDED");
    // The credential's own refusal comes first: suspension changes no credential's status.
    expect((await authenticator.authenticate(disabled.apiKey ?? "")).result).toBe("DISABLED");
    await store.resumeAccount({ accountId: account.accountId, audit: audit("account.resumed") });
    expect((await authenticator.authenticate(active.apiKey ?? "")).result).toBe("VALID");
    expect((await authenticator.authenticate(disabled.apiKey ?? "")).result).toBe("DISABLED");
  });
});
