import { describe, expect, it } from "vitest";
import { systemRandom } from "../system.ts";
import { BASE62_ALPHABET } from "./base62.ts";
import { BODY_LENGTH, generateKey, KEY_PATTERN, LOOKUP_ID_LENGTH, parseKey } from "./key-format.ts";
import type { Random } from "./runtime.ts";
import { CREDENTIAL_TYPES, ENVIRONMENTS } from "./types.ts";

const DOCUMENTED_SHAPE = /^klarna_(live|test)_(api|client)_[0-9A-Za-z]{50}$/;

/** Deterministic source: a seeded counter, one byte per step. */
function counterRandom(seed: number): Random {
  let next = seed;
  return { bytes: (length) => Uint8Array.from({ length }, () => next++ & 0xff) };
}

const combinations = ENVIRONMENTS.flatMap((environment) =>
  CREDENTIAL_TYPES.map((type) => ({ environment, type })),
);

describe("generateKey", () => {
  it.each(combinations)("produces the documented shape for $environment $type", ({ environment, type }) => {
    const { key, lookupId } = generateKey({ brand: "klarna", environment, type, random: systemRandom });
    expect(key).toMatch(KEY_PATTERN);
    expect(key).toMatch(DOCUMENTED_SHAPE);
    const prefix = `klarna_${environment.toLowerCase()}_${type === "API" ? "api" : "client"}_`;
    expect(key.startsWith(prefix + lookupId)).toBe(true);
    expect(key.length).toBe(prefix.length + BODY_LENGTH);
    expect(lookupId).toMatch(new RegExp(`^[0-9A-Za-z]{${LOOKUP_ID_LENGTH}}$`));
  });

  it("is unique over 1000 keys", () => {
    const keys = Array.from({ length: 1000 }, () =>
      generateKey({ brand: "klarna", environment: "LIVE", type: "API", random: systemRandom }),
    );
    expect(new Set(keys.map((k) => k.key)).size).toBe(1000);
    expect(new Set(keys.map((k) => k.lookupId)).size).toBe(1000);
  });

  it("is determined by its random source", () => {
    const make = (seed: number) =>
      generateKey({ brand: "klarna", environment: "TEST", type: "CLIENT", random: counterRandom(seed) });
    expect(make(7)).toEqual(make(7));
    expect(make(7).key).not.toBe(make(8).key);
    expect(parseKey("klarna", make(7).key)).not.toBeNull();
  });
});

describe("parseKey", () => {
  it.each(combinations)("round-trips a $environment $type key", ({ environment, type }) => {
    const generated = generateKey({ brand: "klarna", environment, type, random: systemRandom });
    expect(parseKey("klarna", generated.key)).toEqual({
      environment,
      type,
      lookupId: generated.lookupId,
      key: generated.key,
    });
  });

  it("rejects every single-character change of the body", () => {
    const { key } = generateKey({ brand: "klarna", environment: "LIVE", type: "API", random: systemRandom });
    const bodyStart = key.length - BODY_LENGTH;
    for (let position = bodyStart; position < key.length; position++) {
      const original = key.charAt(position);
      for (const shift of [1, 17, 61]) {
        const replacement =
          BASE62_ALPHABET[(BASE62_ALPHABET.indexOf(original) + shift) % BASE62_ALPHABET.length];
        const tampered = key.slice(0, position) + replacement + key.slice(position + 1);
        expect(parseKey("klarna", tampered), `position ${position} → ${replacement}`).toBeNull();
      }
    }
  });

  it("rejects a key whose environment or type was swapped (the checksum covers the prefix)", () => {
    const { key } = generateKey({ brand: "klarna", environment: "TEST", type: "API", random: systemRandom });
    expect(parseKey("klarna", key.replace("_test_", "_live_"))).toBeNull();
    expect(parseKey("klarna", key.replace("_api_", "_client_"))).toBeNull();
  });

  it("rejects a key of another brand", () => {
    const other = generateKey({ brand: "acme", environment: "LIVE", type: "API", random: systemRandom });
    expect(parseKey("acme", other.key)).not.toBeNull();
    expect(parseKey("klarna", other.key)).toBeNull();
    const own = generateKey({ brand: "klarna", environment: "LIVE", type: "API", random: systemRandom });
    expect(parseKey("acme", own.key)).toBeNull();
  });

  it("rejects over-long and malformed input", () => {
    const { key } = generateKey({ brand: "klarna", environment: "LIVE", type: "API", random: systemRandom });
    expect(parseKey("klarna", `${key}A`)).toBeNull();
    expect(parseKey("klarna", `klarna_live_api_${"A".repeat(500)}`)).toBeNull();
    expect(parseKey("klarna", ` ${key}`)).toBeNull();
    expect(parseKey("klarna", "")).toBeNull();
  });
});
