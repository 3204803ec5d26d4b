import { describe, expect, it } from "vitest";
import { systemRandom } from "../system.ts";
import { BASE62_ALPHABET, encodeBase62, randomBase62, randomUpperAlphanumeric } from "./base62.ts";
import type { Random } from "./runtime.ts";

/** Serves the given bytes in order, then zeros. */
function scripted(values: number[]): Random {
  const queue = [...values];
  return { bytes: (length) => Uint8Array.from({ length }, () => queue.shift() ?? 0) };
}

function decodeBase62(text: string): number {
  return [...text].reduce((total, char) => total * 62 + BASE62_ALPHABET.indexOf(char), 0);
}

describe("randomBase62", () => {
  it.each([0, 1, 12, 32, 200])("returns %i base62 characters", (length) => {
    const value = randomBase62(systemRandom, length);
    expect(value).toHaveLength(length);
    expect(value).toMatch(/^[0-9A-Za-z]*$/);
  });

  it("maps bytes modulo 62 and discards bytes ≥ 248", () => {
    expect(randomBase62(scripted([248, 255, 0, 61, 62, 123, 247]), 5)).toBe("0z0zz");
  });

  it("keeps drawing when a whole batch is rejected", () => {
    expect(randomBase62(scripted([...Array(8).fill(250), 10, 36]), 2)).toBe("Aa");
  });
});

describe("encodeBase62", () => {
  it.each([
    [0, 6, "000000"],
    [61, 2, "0z"],
    [62, 3, "010"],
    [62 ** 6 - 1, 6, "zzzzzz"],
  ])("encodes %i at width %i as %s", (value, width, expected) => {
    expect(encodeBase62(value, width)).toBe(expected);
  });

  it("round-trips 32-bit values at width 6", () => {
    for (const value of [1, 4_096, 123_456_789, 0xffffffff]) {
      const encoded = encodeBase62(value, 6);
      expect(encoded).toHaveLength(6);
      expect(decodeBase62(encoded)).toBe(value);
    }
  });
});

describe("randomUpperAlphanumeric", () => {
  it("returns upper-case letters and digits of the requested length", () => {
    const value = randomUpperAlphanumeric(systemRandom, 64);
    expect(value).toHaveLength(64);
    expect(value).toMatch(/^[A-Z0-9]+$/);
  });

  it("maps bytes modulo 36 and discards bytes ≥ 252", () => {
    expect(randomUpperAlphanumeric(scripted([252, 255, 0, 35, 36, 251]), 4)).toBe("0Z0Z");
  });
});
