import { hash } from "node:crypto";
import { invalidParameter, notFound } from "../domain/errors.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import type { ServiceToken } from "../domain/types.ts";
import type { ServiceRuntime } from "./runtime.ts";

/** `pcst_` + 256 random bits in base64url: recognisable by scanners, never guessable. */
export const SERVICE_TOKEN_PATTERN = /^pcst_[A-Za-z0-9_-]{43}$/;
export const SERVICE_TOKEN_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const hashOf = (token: string): string => hash("sha256", token, "hex");
/** The stored form of a well-formed token; null for anything that cannot be one. */
const digestOf = (presented: string | undefined): string | null =>
  presented === undefined || !SERVICE_TOKEN_PATTERN.test(presented) ? null : hashOf(presented);

/**
 * Tokens with which the provider's own services (proxies, gateways, scanners) call `/internal/*`.
 * Only a SHA-256 of each is stored (the token carries 256 random bits, so no pepper is needed);
 * the plaintext is shown once. Active tokens are remembered for `cacheTtlMs`: a revocation takes
 * effect at once on the instance that made it and within that bound on the others. Unknown tokens
 * are never remembered, so guessing cannot push real ones out of the cache.
 */
export class ServiceTokenService {
  readonly #runtime: ServiceRuntime;
  readonly #cacheTtlMs: number;
  readonly #cache = new Map<string, { token: ServiceToken; at: number }>();

  constructor(runtime: ServiceRuntime, options: { cacheTtlMs: number }) {
    this.#runtime = runtime;
    this.#cacheTtlMs = options.cacheTtlMs;
  }

  async create(name: string): Promise<{ serviceToken: ServiceToken; token: string }> {
    if (!SERVICE_TOKEN_NAME_PATTERN.test(name)) {
      throw invalidParameter("name", "must be 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit");
    }
    const token = `pcst_${Buffer.from(this.#runtime.random.bytes(32)).toString("base64url")}`;
    const serviceToken: ServiceToken = {
      serviceTokenId: newUuidV7(this.#runtime.clock, this.#runtime.random),
      name,
      tokenHash: hashOf(token),
      createdAt: this.#runtime.clock.now(),
      revokedAt: null,
    };
    await this.#runtime.store.insertServiceToken(serviceToken);
    return { serviceToken, token };
  }

  list(): Promise<ServiceToken[]> {
    return this.#runtime.store.listServiceTokens();
  }

  async revoke(serviceTokenId: string): Promise<ServiceToken> {
    const revoked = await this.#runtime.store.revokeServiceToken({
      serviceTokenId,
      revokedAt: this.#runtime.clock.now(),
    });
    if (!revoked) throw notFound("Service token");
    this.#cache.delete(revoked.tokenHash);
    return revoked;
  }

  /** The active token presented, or null for anything else (missing, malformed, unknown, revoked). */
  async verify(presented: string | undefined): Promise<ServiceToken | null> {
    const digest = digestOf(presented);
    if (digest === null) return null;
    const remembered = this.#fresh(digest);
    if (remembered !== undefined) return remembered;
    const token = await this.#runtime.store.findServiceTokenByHash(digest);
    if (!token || token.revokedAt !== null) {
      this.#cache.delete(digest);
      return null;
    }
    if (this.#cache.size >= 1000) this.#cache.clear();
    this.#cache.set(digest, { token, at: this.#runtime.clock.now().getTime() });
    return token;
  }

  /**
   * The presented token if it is active and was verified within `cacheTtlMs` (no I/O, no promise:
   * the forward-auth path asks this first); undefined when only `verify` can tell.
   */
  remembered(presented: string | undefined): ServiceToken | undefined {
    const digest = digestOf(presented);
    return digest === null ? undefined : this.#fresh(digest);
  }

  #fresh(digest: string): ServiceToken | undefined {
    const cached = this.#cache.get(digest);
    if (cached === undefined || this.#runtime.clock.now().getTime() - cached.at >= this.#cacheTtlMs) {
      return undefined;
    }
    return cached.token;
  }
}
