import { describe, expect, it } from "vitest";
import {
  deriveKey,
  hashSecret,
  type Pepper,
  type PepperRing,
  pepperRing,
  verifySecret,
} from "./secret-hash.ts";

const v1: Pepper = { version: 1, secret: "a".repeat(32) };
const v2: Pepper = { version: 2, secret: "b".repeat(32) };
const ring: PepperRing = {
  current: v2,
  byVersion: new Map([
    [1, v1],
    [2, v2],
  ]),
};
const secret = "klarna_live_api_secret-under-test";

describe("hashSecret", () => {
  it("is deterministic per pepper and records the pepper version", () => {
    expect(hashSecret(v2, secret)).toEqual(hashSecret(v2, secret));
    expect(hashSecret(v2, secret).pepperVersion).toBe(2);
  });

  it("differs across peppers and across secrets", () => {
    expect(hashSecret(v1, secret).hash).not.toBe(hashSecret(v2, secret).hash);
    expect(hashSecret({ ...v2, version: 1 }, secret).hash).toBe(hashSecret(v2, secret).hash);
    expect(hashSecret(v2, `${secret}x`).hash).not.toBe(hashSecret(v2, secret).hash);
  });

  it("does not contain the secret", () => {
    expect(hashSecret(v2, secret).hash).not.toContain(secret);
  });
});

describe("verifySecret", () => {
  it("accepts the right secret", () => {
    expect(verifySecret(ring, secret, hashSecret(v2, secret))).toBe(true);
  });

  it("rejects a wrong secret", () => {
    expect(verifySecret(ring, `${secret}x`, hashSecret(v2, secret))).toBe(false);
  });

  it("rejects when there is no stored hash", () => {
    expect(verifySecret(ring, secret, null)).toBe(false);
  });

  it("verifies a hash made with an older pepper still in the ring", () => {
    const old = hashSecret(v1, secret);
    expect(verifySecret(ring, secret, old)).toBe(true);
    expect(verifySecret({ current: v2, byVersion: new Map([[2, v2]]) }, secret, old)).toBe(false);
  });

  it("rejects a stored hash of another length", () => {
    expect(verifySecret(ring, secret, { hash: "short", pepperVersion: 2 })).toBe(false);
  });
});

describe("pepperRing", () => {
  it("signs with the current pepper and still knows the earlier versions", () => {
    const built = pepperRing(v2, new Map([[1, v1.secret]]));
    expect(built.current).toEqual(v2);
    expect([...built.byVersion.values()]).toEqual([v1, v2]);
    expect(verifySecret(built, secret, hashSecret(v1, secret))).toBe(true);
  });
});

describe("deriveKey", () => {
  it("gives a 256-bit key per secret, the same each time", () => {
    const key = deriveKey("s".repeat(32), "client-session/v1");
    expect(key).toHaveLength(32);
    expect(deriveKey("s".repeat(32), "client-session/v1")).toEqual(key);
    expect(deriveKey("t".repeat(32), "client-session/v1")).not.toEqual(key);
    expect(Buffer.from(key).toString("latin1")).not.toContain("s".repeat(8));
  });
});
