import {
  candidateOrigins,
  MAX_ALLOWED_ORIGINS,
  type OriginPattern,
  originMatches,
  parseOrigin,
  parseRequestOrigin,
} from "../domain/allowed-origin.ts";
import { AppError, notFound } from "../domain/errors.ts";
import { newUuidV7 } from "../domain/identifiers.ts";
import type { Account, AllowedOrigin, Environment } from "../domain/types.ts";
import { auditEvent } from "./audit.ts";
import type { RequestContext, ServiceRuntime } from "./runtime.ts";

/** Stored registrations are already normalised; re-parsing yields their match pattern. */
function patternOf(origin: AllowedOrigin): OriginPattern {
  return parseOrigin(origin.origin, "TEST");
}

/** Web origins from which an account's Client IDs may be used. */
export class AllowedOriginService {
  readonly #runtime: ServiceRuntime;

  constructor(runtime: ServiceRuntime) {
    this.#runtime = runtime;
  }

  /** A duplicate answers 409 naming the existing origin id, so a retried create can be reconciled. */
  async create(account: Account, context: RequestContext, input: string): Promise<AllowedOrigin> {
    const pattern = parseOrigin(input, account.environment);
    const origin: AllowedOrigin = {
      originId: newUuidV7(this.#runtime.clock, this.#runtime.random),
      accountId: account.accountId,
      origin: pattern.origin,
      scheme: pattern.scheme,
      createdAt: this.#runtime.clock.now(),
    };
    const result = await this.#runtime.store.insertAllowedOrigin({
      origin,
      max: MAX_ALLOWED_ORIGINS,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "allowed_origin.created",
        targetType: "ALLOWED_ORIGIN",
        targetId: origin.originId,
      }),
    });
    if (result.outcome === "DUPLICATE") {
      throw new AppError(
        "RESOURCE_CONFLICT",
        `Origin ${result.existing.origin} is already registered as origin_id ${result.existing.originId}`,
      );
    }
    if (result.outcome === "FULL") {
      throw new AppError("INVALID_STATE", `An account can register at most ${MAX_ALLOWED_ORIGINS} origins`);
    }
    return origin;
  }

  list(account: Account): Promise<AllowedOrigin[]> {
    return this.#runtime.store.listAllowedOrigins(account.accountId);
  }

  async delete(account: Account, context: RequestContext, originId: string): Promise<void> {
    const deleted = await this.#runtime.store.deleteAllowedOrigin({
      accountId: account.accountId,
      originId,
      audit: auditEvent(this.#runtime, context, {
        accountId: account.accountId,
        action: "allowed_origin.deleted",
        targetType: "ALLOWED_ORIGIN",
        targetId: originId,
      }),
    });
    if (!deleted) throw notFound("Allowed origin");
  }

  /** Whether the browser origin may use this account's Client IDs. */
  /** Whether a Client ID of `environment` may be used from the origin; `*` serves TEST Client IDs only. */
  async allows(
    accountId: string,
    originHeader: string | undefined,
    environment: Environment,
  ): Promise<boolean> {
    const origin = parseRequestOrigin(originHeader);
    if (!origin) return false;
    const registered = await this.#runtime.store.listAllowedOrigins(accountId);
    return registered.some(
      (r) => (r.origin !== "*" || environment === "TEST") && originMatches(patternOf(r), origin),
    );
  }

  /** Whether any account allows the origin: a CORS preflight does not say which Client ID follows. */
  async anyAllows(originHeader: string | undefined): Promise<boolean> {
    const origin = parseRequestOrigin(originHeader);
    if (!origin) return false;
    const registered = await this.#runtime.store.findAllowedOrigins(candidateOrigins(origin));
    return registered.some((r) => originMatches(patternOf(r), origin));
  }
}
