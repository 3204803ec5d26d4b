import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, importPKCS8, type JWK, SignJWT } from "jose";
import type { Clock } from "../domain/runtime.ts";
import type { AllowedRequest as Allowed } from "./request-authorizer.ts";

type SigningKey = Awaited<ReturnType<typeof importPKCS8>>;

export const IDENTITY_ISSUER = "partner-credentials";
/** How long a signed identity is valid, and how long one is reused for the same identity. */
const LIFETIME_S = 60;
const REUSE_MS = 30_000;
const MAX_CACHED = 10_000;

/** The claims of an identity token (`X-Klarna-Identity`), besides iss, iat and exp. */
export interface IdentityClaims {
  /** The account acted on. */
  sub: string;
  account_id: string;
  acting_account_id?: string;
  credential_id: string;
  environment: string;
}

/**
 * Signs who a request is as a compact JWS (a JWT, EdDSA over Ed25519), so that an upstream that is
 * not network-isolated can check the identity headers. Tokens live 60 s and are reused for 30 s per
 * identity: signing is the costliest step of the hot path, and an identity does not change faster
 * than a revocation reaches every instance anyway.
 */
export class IdentitySigner {
  readonly #key: SigningKey;
  readonly #kid: string;
  readonly #publicJwk: JWK;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { token: string; at: number }>();

  private constructor(key: SigningKey, kid: string, publicJwk: JWK, clock: Clock) {
    this.#key = key;
    this.#kid = kid;
    this.#publicJwk = publicJwk;
    this.#clock = clock;
  }

  static async fromPem(privateKeyPem: string, clock: Clock): Promise<IdentitySigner> {
    const key = await importPKCS8(privateKeyPem, "EdDSA", { extractable: true });
    const { d: _private, ...publicJwk } = await exportJWK(key);
    const kid = await calculateJwkThumbprint(publicJwk);
    return new IdentitySigner(key, kid, { ...publicJwk, kid, alg: "EdDSA", use: "sig" }, clock);
  }

  /** A signer with a key of its own, for one process (tests, benchmarks). */
  static ephemeral(clock: Clock): Promise<IdentitySigner> {
    const { privateKey } = generateKeyPairSync("ed25519");
    return IdentitySigner.fromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString(), clock);
  }

  /** The public keys as a JWKS document (`{"keys": […]}`), for `createLocalJWKSet` or `createRemoteJWKSet`. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.#publicJwk] };
  }

  async sign(allowed: Allowed): Promise<string> {
    const claims: IdentityClaims = {
      sub: allowed.account.accountId,
      account_id: allowed.account.accountId,
      ...(allowed.managed ? { acting_account_id: allowed.caller.accountId } : {}),
      credential_id: allowed.credential.credentialId,
      environment: allowed.environment,
    };
    const cacheKey = `${claims.credential_id} ${claims.account_id}`;
    const now = this.#clock.now().getTime();
    const cached = this.#cache.get(cacheKey);
    if (cached && now - cached.at < REUSE_MS) return cached.token;
    const issuedAt = Math.floor(now / 1000);
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: "EdDSA", kid: this.#kid, typ: "JWT" })
      .setIssuer(IDENTITY_ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + LIFETIME_S)
      .sign(this.#key);
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(cacheKey, { token, at: now });
    return token;
  }
}
