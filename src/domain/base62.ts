import type { Random } from "./runtime.ts";

export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Uniformly random base62 string. Bytes ≥ 248 are discarded (rejection sampling),
 * so every character carries log2(62) ≈ 5.95 bits without modulo bias.
 */
export function randomBase62(random: Random, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random.bytes(length * 2)) {
      if (byte < 248) out += BASE62_ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Fixed-width base62 encoding of a non-negative integer (left-padded with "0"). */
export function encodeBase62(value: number, width: number): string {
  let rest = value;
  let out = "";
  while (rest > 0) {
    out = BASE62_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, "0");
}

/** Random upper-case alphanumerics (for account short ids). */
export function randomUpperAlphanumeric(random: Random, length: number): string {
  const alphabet = BASE62_ALPHABET.slice(0, 36);
  let out = "";
  while (out.length < length) {
    for (const byte of random.bytes(length * 2)) {
      if (byte < 252) out += alphabet[byte % 36];
      if (out.length === length) break;
    }
  }
  return out;
}
