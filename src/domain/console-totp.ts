import { createCipheriv, createDecipheriv } from "node:crypto";
import type { Random } from "./runtime.ts";

const CIPHER_VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts a user's TOTP secret (base32) for storage: AES-256-GCM under the console-TOTP key, bound
 * to the user by the associated data. It must be recovered to check codes, so it cannot be hashed.
 */
export function sealTotpSecret(key: Uint8Array, userId: string, secret: string, random: Random): string {
  const iv = Buffer.from(random.bytes(IV_BYTES));
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(`console-totp:${userId}`));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${CIPHER_VERSION}.${Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url")}`;
}

/** The secret `sealTotpSecret` stored; throws when the key or the user is not the one it was sealed for. */
export function openTotpSecret(key: Uint8Array, userId: string, stored: string): string {
  const [version, text] = stored.split(".");
  if (version !== CIPHER_VERSION || text === undefined) throw new Error("Unknown TOTP secret format");
  const bytes = Buffer.from(text, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(`console-totp:${userId}`));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ]).toString("utf8");
}
