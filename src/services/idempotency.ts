import { createHash } from "node:crypto";
import { AppError } from "../domain/errors.ts";
import type { ServiceRuntime } from "./runtime.ts";

/** Printable ASCII, space included (a UUID is what the reference API recommends). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
const RETENTION_MS = 24 * 60 * 60 * 1000;
/** A PENDING key older than this belongs to a request that died: it may be taken over. */
const ABANDONED_AFTER_MS = 60 * 1000;

export interface StoredResponse {
  status: number;
  body: string;
}

export interface StartedRequest {
  keyHash: string;
  /** When this request reserved the key: a later taker-over holds another reservation. */
  reservedAt: Date;
}

export type IdempotencyStart =
  | ({ kind: "NEW" } & StartedRequest)
  | { kind: "REPLAY"; response: StoredResponse };

/** Fields of a first result that are secrets: never stored, so never replayed. */
const SECRET_FIELDS = ["api_key", "onboarding_url", "token"] as const;

/** The body to keep: the first result without its secrets, each marked `<field>_redacted: true`. */
export function withoutSecrets(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return body;
  const kept: Record<string, unknown> = { ...(parsed as Record<string, unknown>) };
  for (const field of SECRET_FIELDS) {
    if (field in kept) {
      delete kept[field];
      kept[`${field}_redacted`] = true;
    }
  }
  return JSON.stringify(kept);
}

/**
 * Replays the first result of a POST/PATCH repeated with the same idempotency key for 24 h. The
 * result is kept without its secrets (a new API key, a link, a token): a repeat gets the same body
 * minus the secret, with `api_key_redacted: true`, so nobody who holds the database or a backup of
 * it can recover one. Records are found by a plain SHA-256 of scope and key, which no pepper
 * rotation can change.
 */
export class IdempotencyService {
  readonly #runtime: ServiceRuntime;

  constructor(runtime: ServiceRuntime) {
    this.#runtime = runtime;
  }

  async begin(input: {
    scope: string;
    idempotencyKey: string;
    requestHash: string;
  }): Promise<IdempotencyStart> {
    const keyHash = createHash("sha256")
      .update(`idempotency/v2\n${input.scope}\n${input.idempotencyKey}`)
      .digest("base64url");
    const now = this.#runtime.clock.now();
    const existing = await this.#runtime.store.reserveIdempotencyKey(
      {
        keyHash,
        requestHash: input.requestHash,
        state: "PENDING",
        resourceId: null,
        responseStatus: null,
        responseCiphertext: null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + RETENTION_MS),
      },
      new Date(now.getTime() - ABANDONED_AFTER_MS),
    );
    if (!existing) return { kind: "NEW", keyHash, reservedAt: now };
    if (existing.requestHash !== input.requestHash) {
      throw new AppError(
        "IDEMPOTENCY_KEY_REUSED",
        "This idempotency key was already used with a different request; use a new key",
      );
    }
    if (existing.state === "APPLIED") {
      // The change was made, and then the answer was lost (a crash, a failed write): never again.
      throw new AppError(
        "RESOURCE_CONFLICT",
        `This request was already applied (it created ${existing.resourceId ?? "its resource"}), but its answer was lost; read the resource instead of retrying`,
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
      response: { status: existing.responseStatus, body: existing.responseCiphertext },
    };
  }

  async complete(started: StartedRequest, response: StoredResponse): Promise<void> {
    await this.#runtime.store.completeIdempotencyKey({
      keyHash: started.keyHash,
      responseStatus: response.status,
      responseCiphertext: withoutSecrets(response.body),
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
