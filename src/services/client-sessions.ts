import { jwtVerify, SignJWT } from "jose";
import { AppError, invalidParameter } from "../domain/errors.ts";
import { parseKey } from "../domain/key-format.ts";
import { type RateDecision, type RateLimit, rateLimited } from "../domain/rate-limit.ts";
import type { Account, Credential, Environment } from "../domain/types.ts";
import type { AllowedOriginService } from "./allowed-origins.ts";
import type { RateCounter } from "./rate-limiter.ts";
import type { RateLimitService } from "./rate-limits.ts";
import type { ServiceRuntime } from "./runtime.ts";
import type { UsageRecorder } from "./usage-recorder.ts";

export interface ClientSessionClaims {
  credentialId: string;
  clientId: string;
  accountId: string;
  environment: Environment;
  origin: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface IssuedSession {
  token: string;
  claims: ClientSessionClaims;
  rate: RateDecision | null;
}

const UNAUTHORIZED = "Unknown or inactive Client ID";

/**
 * Browser authentication with a Client ID: from an allowed origin only, the browser gets a
 * short-lived token bound to the Client ID, its account and environment, and that origin.
 * Tokens are JWTs (HS256, jose) under a key of their own, derived from the session secret.
 */
export class ClientSessionService {
  readonly #runtime: ServiceRuntime;
  readonly #origins: AllowedOriginService;
  readonly #usage: UsageRecorder;
  readonly #brand: string;
  readonly #key: Uint8Array;
  readonly #ttlMs: number;
  readonly #rateLimits: RateLimitService;
  readonly #perSource: { counter: RateCounter; perIp: RateLimit; perClientId: RateLimit };

  constructor(
    runtime: ServiceRuntime,
    options: {
      origins: AllowedOriginService;
      usage: UsageRecorder;
      rateLimits: RateLimitService;
      /** Budgets of anonymous session traffic per source address and per Client ID. */
      perSource: { counter: RateCounter; perIp: RateLimit; perClientId: RateLimit };
      brand: string;
      /** The HS256 key of session tokens, for this purpose alone (`deriveKey(…, "client-session/v1")`). */
      key: Uint8Array;
      ttlMs: number;
    },
  ) {
    this.#runtime = runtime;
    this.#rateLimits = options.rateLimits;
    this.#perSource = options.perSource;
    this.#origins = options.origins;
    this.#usage = options.usage;
    this.#brand = options.brand;
    this.#key = options.key;
    this.#ttlMs = options.ttlMs;
  }

  async create(input: {
    clientId: string;
    origin: string | undefined;
    sourceIp: string | null;
  }): Promise<IssuedSession> {
    const parsed = parseKey(this.#brand, input.clientId);
    if (parsed?.type !== "CLIENT") {
      throw invalidParameter("client_id", `must be a Client ID (${this.#brand}_<live|test>_client_…)`);
    }
    const now = this.#runtime.clock.now();
    const credential = await this.#activeClientId(parsed.lookupId, input.clientId, now);
    if (!credential) throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
    if (
      input.origin === undefined ||
      !(await this.#origins.allows(credential.accountId, input.origin, credential.environment))
    ) {
      throw new AppError("FORBIDDEN", "This origin is not allowed for this Client ID");
    }
    // Anonymous traffic: first a budget per source address and per Client ID, so one browser
    // flood spends its own budget before it can touch any account's.
    for (const [key, limit] of [
      [`client-session-ip:${input.sourceIp ?? "unknown"}`, this.#perSource.perIp],
      [`client-session-id:${credential.credentialId}`, this.#perSource.perClientId],
    ] as const) {
      const decision = await this.#perSource.counter.consume(key, limit);
      if (!decision.allowed) throw rateLimited(decision, "client sessions from here");
    }
    const rate = await this.#rateLimits.consume(
      await this.#accountLevels(credential.accountId),
      "CLIENT_SESSIONS",
    );
    if (rate && !rate.allowed) throw rateLimited(rate, "client sessions");
    this.#usage.record({
      credentialId: credential.credentialId,
      accountId: credential.accountId,
      usedAt: now,
      sourceIp: input.sourceIp,
    });
    const claims: ClientSessionClaims = {
      credentialId: credential.credentialId,
      clientId: input.clientId,
      accountId: credential.accountId,
      environment: credential.environment,
      origin: input.origin.toLowerCase(),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + this.#ttlMs),
    };
    return { token: await this.#sign(claims), claims, rate };
  }

  /**
   * The Client ID's credential while it may open sessions: active, not past a rotation's end, and
   * of an account that is not suspended.
   */
  async #activeClientId(lookupId: string, clientId: string, now: Date): Promise<Credential | null> {
    const credential = (await this.#runtime.store.findCredentialByLookupId(lookupId))?.credential;
    const live =
      credential?.type === "CLIENT" &&
      credential.clientId === clientId &&
      credential.status === "ACTIVE" &&
      (credential.expiresAt === null || credential.expiresAt.getTime() > now.getTime());
    if (!live) return null;
    const account = await this.#runtime.store.findAccount(credential.accountId);
    return account && account.suspension === null ? credential : null;
  }

  /**
   * Checks signature, expiry, (when given) the origin binding, and that the Client ID is still
   * active: a disabled Client ID ends its sessions within the verification cache's bound. Throws
   * 401 otherwise.
   */
  async verify(token: string, origin?: string): Promise<ClientSessionClaims> {
    const invalid = (): never => {
      throw new AppError("UNAUTHORIZED", "Invalid or expired client session token");
    };
    let claims: ClientSessionClaims;
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        algorithms: ["HS256"],
        currentDate: this.#runtime.clock.now(),
        requiredClaims: ["sub", "iat", "exp"],
      });
      claims = {
        credentialId: String(payload.sub),
        clientId: String(payload.client_id),
        accountId: String(payload.acc),
        environment: payload.env as Environment,
        origin: String(payload.origin),
        issuedAt: new Date(Number(payload.iat) * 1000),
        expiresAt: new Date(Number(payload.exp) * 1000),
      };
    } catch {
      return invalid();
    }
    if (!(claims.expiresAt.getTime() > this.#runtime.clock.now().getTime())) return invalid();
    if (origin !== undefined && origin.toLowerCase() !== claims.origin) return invalid();
    const lookupId = parseKey(this.#brand, claims.clientId)?.lookupId;
    const credential = lookupId
      ? await this.#activeClientId(lookupId, claims.clientId, this.#runtime.clock.now())
      : null;
    if (credential?.credentialId !== claims.credentialId) return invalid();
    return claims;
  }

  /** The account and, for a Partner Account, its Acquiring Partner: both budgets count. */
  async #accountLevels(accountId: string): Promise<Account[]> {
    const account = await this.#runtime.store.findAccount(accountId);
    if (!account) return [];
    const parent = account.parentAccountId
      ? await this.#runtime.store.findAccount(account.parentAccountId)
      : null;
    return parent ? [account, parent] : [account];
  }

  #sign(claims: ClientSessionClaims): Promise<string> {
    return new SignJWT({
      client_id: claims.clientId,
      acc: claims.accountId,
      env: claims.environment,
      origin: claims.origin,
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(claims.credentialId)
      .setIssuedAt(Math.floor(claims.issuedAt.getTime() / 1000))
      .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
      .sign(this.#key);
  }
}
