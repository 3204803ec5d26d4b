import { createCipheriv, createDecipheriv, createHmac } from "node:crypto";
import type { Random } from "./runtime.ts";

const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;

/** A new signing secret, as Standard Webhooks writes it: `whsec_` + base64 of the key bytes. */
export function newWebhookSecret(random: Random): string {
  return `${SECRET_PREFIX}${Buffer.from(random.bytes(SECRET_BYTES)).toString("base64")}`;
}

/** The key bytes of a `whsec_…` secret. */
export function webhookSecretBytes(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    "base64",
  );
}

/** The headers of one delivery attempt, by the Standard Webhooks specification. */
export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * Signs `{id}.{timestamp}.{body}` with HMAC-SHA-256 under each secret (the current one first, then
 * one being rotated out), each signature written `v1,<base64>` and separated by a space.
 */
export function signWebhook(
  secrets: readonly string[],
  message: { id: string; at: Date; body: string },
): SignedHeaders {
  const timestamp = String(Math.floor(message.at.getTime() / 1000));
  const content = `${message.id}.${timestamp}.${message.body}`;
  const signatures = secrets.map(
    (secret) => `v1,${createHmac("sha256", webhookSecretBytes(secret)).update(content).digest("base64")}`,
  );
  return {
    "webhook-id": message.id,
    "webhook-timestamp": timestamp,
    "webhook-signature": signatures.join(" "),
  };
}

const CIPHER_VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts a signing secret for storage (AES-256-GCM under the webhook-secrets key, bound to its
 * endpoint by the associated data): the dispatcher must recover it to sign, so it cannot be hashed.
 */
export function sealWebhookSecret(
  key: Uint8Array,
  endpointId: string,
  secret: string,
  random: Random,
): string {
  const iv = Buffer.from(random.bytes(IV_BYTES));
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return `${CIPHER_VERSION}.${Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url")}`;
}

/** The secret `sealWebhookSecret` stored; throws when the key or the endpoint is not the one it was sealed under. */
export function openWebhookSecret(key: Uint8Array, endpointId: string, stored: string): string {
  const [version, text] = stored.split(".");
  if (version !== CIPHER_VERSION || text === undefined) throw new Error("Unknown webhook secret format");
  const bytes = Buffer.from(text, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ]).toString("utf8");
}
