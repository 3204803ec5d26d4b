import { crc32 } from "node:zlib";
import { encodeBase62, randomBase62 } from "./base62.ts";
import type { Random } from "./runtime.ts";
import type { CredentialType, Environment } from "./types.ts";

/**
 * Key layout: `<brand>_<live|test>_<api|client>_<body>` where body (50 base62 chars) is
 *   12 chars lookup id  (≈71 bits, public, indexes the store)
 * + 32 chars secret     (≈190 bits of CSPRNG randomness)
 * +  6 chars checksum   (CRC32 of everything before it, base62)
 * A scanner or the server can reject a mistyped or invented key from the checksum alone.
 */
export const LOOKUP_ID_LENGTH = 12;
export const SECRET_LENGTH = 32;
export const CHECKSUM_LENGTH = 6;
export const BODY_LENGTH = LOOKUP_ID_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;

export const KEY_PATTERN = /^([a-z][a-z0-9]{0,19})_(live|test)_(api|client)_([0-9A-Za-z]{50})$/;

export interface ParsedKey {
  environment: Environment;
  type: CredentialType;
  lookupId: string;
  /** The whole key as presented; hashed for API keys, compared as-is for Client IDs. */
  key: string;
}

export interface GeneratedKey extends ParsedKey {}

function checksum(text: string): string {
  return encodeBase62(crc32(text), CHECKSUM_LENGTH);
}

function prefixOf(brand: string, environment: Environment, type: CredentialType): string {
  return `${brand}_${environment.toLowerCase()}_${type === "API" ? "api" : "client"}_`;
}

export function generateKey(options: {
  brand: string;
  environment: Environment;
  type: CredentialType;
  random: Random;
}): GeneratedKey {
  const lookupId = randomBase62(options.random, LOOKUP_ID_LENGTH);
  const unsigned =
    prefixOf(options.brand, options.environment, options.type) +
    lookupId +
    randomBase62(options.random, SECRET_LENGTH);
  return {
    environment: options.environment,
    type: options.type,
    lookupId,
    key: unsigned + checksum(unsigned),
  };
}

/** Parses and checksums a presented key. Pure: never touches the store. */
export function parseKey(brand: string, presented: string): ParsedKey | null {
  if (presented.length > 128) return null;
  const match = KEY_PATTERN.exec(presented);
  if (!match) return null;
  const [, keyBrand, env, kind, body] = match;
  if (keyBrand !== brand || body === undefined) return null;
  const unsigned = presented.slice(0, presented.length - CHECKSUM_LENGTH);
  if (checksum(unsigned) !== presented.slice(-CHECKSUM_LENGTH)) return null;
  return {
    environment: env === "live" ? "LIVE" : "TEST",
    type: kind === "api" ? "API" : "CLIENT",
    lookupId: body.slice(0, LOOKUP_ID_LENGTH),
    key: presented,
  };
}
