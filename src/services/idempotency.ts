import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync } from "node:crypto";
import { AppError } from "../domain/errors.ts";
import type { ServiceRuntime } from "./runtime.ts";

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const RETENTION_MS = 24 * 60 * 60 * 1000;
/** A PENDING key older than this belongs to a request that died: it may be taken over. */
const ABANDONED_AFTER_MS = 60 * 1000;

export interface StoredResponse {
  status: number;
  body: string;
}

export interface StartedRequest {
  keyHash: string;
  encryptionKey: Buffer;
}

export type IdempotencyStart =
  | ({ kind: "NEW" } & StartedRequest)
  | { kind: "REPLAY"; response: StoredResponse };

/**
 * Replays the first result of a POST/PATCH repeated with the same idempotency key for 24 h.
 * A first result may hold a secret (a new API key), so it is kept only encrypted, under a key
 * derived from both the client's idempotency key and a server secret; the idempotency key itself
 * is kept only as a keyed hash. Neither the database alone nor a guessed idempotency key opens it.
 */
export class IdempotencyService {
  readonly #runtime: ServiceRuntime;
  readonly #lookupKey: Buffer;
  readonly #encryptionSecret: Buffer;

  constructor(runtime: ServiceRuntime, options: { serverSecret: string }) {
    this.#runtime = runtime;
    this.#lookupKey = createHmac("sha256", options.serverSecret).update("idempotency/lookup").digest();
    this.#encryptionSecret = createHmac("sha256", options.serverSecret)
      .update("idempotency/encryption")
      .digest();
  }

  async begin(input: {
    scope: string;
    idempotencyKey: string;
    requestHash: string;
  }): Promise<IdempotencyStart> {
    const keyHash = createHmac("sha256", this.#lookupKey)
      .update(`${input.scope}\n${input.idempotencyKey}`)
      .digest("base64url");
    const now = this.#runtime.clock.now();
    const existing = await this.#runtime.store.reserveIdempotencyKey(
      {
        keyHash,
        requestHash: input.requestHash,
        state: "PENDING",
        responseStatus: null,
        responseCiphertext: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + RETENTION_MS),
      },
      new Date(now.getTime() - ABANDONED_AFTER_MS),
    );
    const salt = createHmac("sha256", this.#encryptionSecret).update(input.scope).digest();
    const encryptionKey = Buffer.from(
      hkdfSync("sha256", input.idempotencyKey, salt, "idempotent-response", 32),
    );
    if (!existing) return { kind: "NEW", keyHash, encryptionKey };
    if (existing.requestHash !== input.requestHash) {
      throw new AppError(
        "IDEMPOTENCY_KEY_REUSED",
        "This idempotency key was already used with a different request; use a new key",
      );
    }
    if (existing.state !== "COMPLETE" || existing.responseStatus === null || !existing.responseCiphertext) {
      throw new AppError(
        "IDEMPOTENCY_KEY_IN_USE",
        "A request with this idempotency key is still in progress",
      );
    }
    return {
      kind: "REPLAY",
      response: { status: existing.responseStatus, body: open(encryptionKey, existing.responseCiphertext) },
    };
  }

  async complete(started: StartedRequest, response: StoredResponse): Promise<void> {
    const iv = Buffer.from(this.#runtime.random.bytes(12));
    await this.#runtime.store.completeIdempotencyKey({
      keyHash: started.keyHash,
      responseStatus: response.status,
      responseCiphertext: seal(started.encryptionKey, iv, response.body),
    });
  }

  async abandon(started: { keyHash: string }): Promise<void> {
    await this.#runtime.store.releaseIdempotencyKey(started.keyHash);
  }

  /** Housekeeping: expired records are of no use and should not linger on disk. */
  purgeExpired(): Promise<number> {
    return this.#runtime.store.deleteExpiredIdempotencyKeys(this.#runtime.clock.now());
  }
}

/** The request a key is bound to: method, path and body, whatever the order of the body's keys. */
export function requestHash(method: string, url: string, canonicalBody: string): string {
  return createHash("sha256").update(`${method} ${url}\n${canonicalBody}`).digest("base64url");
}

function seal(key: Buffer, iv: Buffer, plaintext: string): string {
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

function open(key: Buffer, sealed: string): string {
  const bytes = Buffer.from(sealed, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
}
