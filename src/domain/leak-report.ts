import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import { BODY_LENGTH, parseKey } from "./key-format.ts";

/**
 * Leaked-key reports, in the shape of GitHub's secret-scanning partner program: a JSON array of
 * tokens found somewhere public, each answered with its SHA-256 and whether it is real.
 */

/** Tokens in one report at most (GitHub batches its findings; more is refused whole). */
export const MAX_REPORTED_TOKENS = 1000;

/** One finding as the scanner sends it. */
export interface ReportedToken {
  token: string;
  /** The scanner's name for the token's pattern; echoed back as `token_type`. */
  type: string;
  /** Where it was found (a commit, a file, an issue); GitHub's older reports may leave it out. */
  url?: string;
  /** What kind of place that is: `Content`, `Commit`, `Pull_request_title`, … `Unknown`. */
  source?: string;
}

export type LeakLabel = "true_positive" | "false_positive";

/** The answer for one token: never the token itself. */
export interface LeakVerdict {
  tokenHash: string;
  tokenType: string;
  label: LeakLabel;
}

/** The SHA-256 (hex) of a reported token: all that is ever kept of it, and what the answer names. */
export function reportedTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * What a reported token can be, judged without the store: a key or Client ID of this service's
 * format whose checksum holds, or nothing of ours (a random or mistyped string: false positive).
 */
export type TokenShape =
  | { kind: "API_KEY"; lookupId: string }
  | { kind: "CLIENT_ID"; lookupId: string }
  | { kind: "NOT_OURS" };

export function shapeOfReportedToken(brand: string, token: string): TokenShape {
  const parsed = parseKey(brand, token);
  if (!parsed) return { kind: "NOT_OURS" };
  return { kind: parsed.type === "API" ? "API_KEY" : "CLIENT_ID", lookupId: parsed.lookupId };
}

/**
 * Free text of a report (its url, its source) as it may be kept: a scanner that put the token into
 * the url as well must not make us store it.
 */
export function withoutToken(text: string, token: string): string {
  return token.length > 0 && text.includes(token) ? text.split(token).join("[REDACTED]") : text;
}

/** GitHub's published signing keys by identifier (`{"public_keys": [{key_identifier, key, is_current}]}`). */
export type SigningKeys = ReadonlyMap<string, KeyObject>;

/**
 * Reads the key document GitHub publishes. Every listed key verifies, current or not: during
 * GitHub's own rotation reports may still be signed with the previous one. Throws on a document
 * that is not of that shape or a key that is not a P-256 public key.
 */
export function parseSigningKeys(document: unknown): SigningKeys {
  const list = (document as { public_keys?: unknown } | null)?.public_keys;
  if (!Array.isArray(list)) throw new Error('must hold {"public_keys": [ … ]}');
  const keys = new Map<string, KeyObject>();
  for (const [index, entry] of list.entries()) {
    const { key_identifier: identifier, key } = (entry ?? {}) as { key_identifier?: unknown; key?: unknown };
    if (typeof identifier !== "string" || identifier.length === 0) {
      throw new Error(`public_keys[${index}].key_identifier must be a non-empty string`);
    }
    if (typeof key !== "string") throw new Error(`public_keys[${index}].key must be a PEM public key`);
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(key);
    } catch {
      throw new Error(`public_keys[${index}].key must be a PEM public key`);
    }
    if (publicKey.asymmetricKeyType !== "ec" || publicKey.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
      throw new Error(`public_keys[${index}].key must be an ECDSA P-256 key`);
    }
    keys.set(identifier, publicKey);
  }
  return keys;
}

/**
 * Whether `signature` (base64 of a DER-encoded ECDSA P-256 / SHA-256 signature, as GitHub sends
 * it in `Github-Public-Key-Signature`) signs exactly these bytes with this key.
 */
export function signatureHolds(key: KeyObject, signature: string, body: Uint8Array): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature) || signature.length > 200) return false;
  try {
    return verify("sha256", body, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/**
 * The regular expression to register with a secret scanner (GitHub's partner program) for this
 * service's API keys of `brand`: the key format of key-format.ts, without anchors, so it finds keys
 * inside text. Client IDs (`_client_`) are public by design and need no scanning.
 */
export function scannerPattern(brand: string): string {
  return `${brand}_(?:live|test)_api_[0-9A-Za-z]{${BODY_LENGTH}}`;
}
