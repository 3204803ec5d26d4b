import { createHmac, hash, hkdfSync, timingSafeEqual } from "node:crypto";
import type { SecretHash } from "./types.ts";

export interface Pepper {
  version: number;
  secret: string;
}

/** The current pepper signs new hashes; older versions still verify hashes made with them. */
export interface PepperRing {
  current: Pepper;
  byVersion: ReadonlyMap<number, Pepper>;
}

/**
 * The ring of the pepper settings: `current` (PEPPER, PEPPER_VERSION) and the earlier versions
 * (PREVIOUS_PEPPERS) that still verify hashes made under them.
 */
export function pepperRing(current: Pepper, previous: ReadonlyMap<number, string>): PepperRing {
  const byVersion = new Map([...previous].map(([version, secret]) => [version, { version, secret }]));
  byVersion.set(current.version, current);
  return { current, byVersion };
}

export function hashSecret(pepper: Pepper, secret: string): SecretHash {
  return {
    hash: createHmac("sha256", pepper.secret).update(secret).digest("base64url"),
    pepperVersion: pepper.version,
  };
}

/**
 * Constant-time comparison of a presented secret with a stored hash. A missing stored hash
 * (unknown key) is compared against a dummy so that unknown and wrong keys cost the same.
 */
export function verifySecret(ring: PepperRing, secret: string, stored: SecretHash | null): boolean {
  const pepper = (stored && ring.byVersion.get(stored.pepperVersion)) ?? ring.current;
  const computed = Buffer.from(hashSecret(pepper, secret).hash);
  const expected = Buffer.from(stored?.hash ?? "x".repeat(computed.length));
  if (expected.length !== computed.length) return false;
  return timingSafeEqual(computed, expected) && stored !== null;
}

/**
 * The SHA-256 of a presented key: what the cache of verified keys is keyed by, so a cache hit costs
 * one fast digest instead of the pepper-keyed HMAC, and no key is ever held in clear.
 */
export function keyDigest(presented: string): string {
  return hash("sha256", presented, "base64url");
}

/**
 * What a derived key is for. Each purpose has its own HKDF `info` label, so no two purposes ever
 * share a key, and a new version of a purpose (a new label) is a new key.
 */
export type KeyPurpose = "client-session/v1" | "webhook-secrets/v1" | "console-totp/v1";

/**
 * A 256-bit key for one purpose, derived with HKDF-SHA-256 from a secret of the service (the
 * session secret; never the pepper, whose one purpose is hashing API keys).
 */
export function deriveKey(secret: string, purpose: KeyPurpose): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, "", `partner-credentials ${purpose}`, 32));
}
