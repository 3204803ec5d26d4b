import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync } from "node:crypto";
import { AppError } from "../domain/errors.ts";
import type { ServiceRuntime } from "./runtime.ts";

export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: string;
}

export type IdempotencyStart =
  | { kind: "NEW"; keyHash: string; encryptionKey: Buffer }
  | { kind: "REPLAY"; response: StoredResponse };

/**
 * Replays the first result of a POST/PATCH repeated with the same `Idempotency-Key` for 24 h.
 * A first result may hold a secret (a new API key), so it is kept only encrypted under a key
 * derived from the client's idempotency key, which itself is kept only as a keyed hash.
 */
export class IdempotencyService {
  readonly #runtime: ServiceRuntime;
  readonly #hashKey: string;

  constructor(runtime: ServiceRuntime, options: { hashKey: string }) {
    this.#runtime = runtime;
    this.#hashKey = options.hashKey;
  }

  async begin(input: {
    scope: string;
    idempotencyKey: string;
    request: { method: string; url: string; body: string };
  }): Promise<IdempotencyStart> {
    const keyHash = createHmac("sha256", this.#hashKey)
      .update(`${input.scope}\n${input.idempotencyKey}`)
      .digest("base64url");
    const requestHash = createHash("sha256")
      .update(`${input.request.method} ${input.request.url}\n${input.request.body}`)
      .digest("base64url");
    const now = this.#runtime.clock.now();
    const existing = await this.#runtime.store.reserveIdempotencyKey({
      keyHash,
      requestHash,
      state: "PENDING",
      responseStatus: null,
      responseCiphertext: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RETENTION_MS),
    });
    const encryptionKey = Buffer.from(
      hkdfSync("sha256", input.idempotencyKey, input.scope, "idempotent-response", 32),
    );
    if (!existing) return { kind: "NEW", keyHash, encryptionKey };
    if (existing.requestHash !== requestHash) {
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

  async complete(
    started: { keyHash: string; encryptionKey: Buffer },
    response: StoredResponse,
  ): Promise<void> {
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
