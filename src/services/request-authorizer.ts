import { callerSuspended } from "../domain/account-suspension.ts";
import { presentedKey, usernameMatches } from "../domain/authorization-header.ts";
import { headerPrefix } from "../domain/brand.ts";
import { environmentsOfKey, isVisible } from "../domain/environment-rules.ts";
import { AppError, invalidParameter, notFound } from "../domain/errors.ts";
import { ACCOUNT_ID_PATTERN } from "../domain/identifiers.ts";
import { parseKey } from "../domain/key-format.ts";
import { type MtlsRequirement, type MtlsStatus, mtlsDeadline } from "../domain/mtls-policy.ts";
import { allows } from "../domain/permissions.ts";
import { type RateDecision, rateLimited } from "../domain/rate-limit.ts";
import type { Clock } from "../domain/runtime.ts";
import type { Account, Credential, Environment } from "../domain/types.ts";
import type { AccessPolicy } from "./access-policy.ts";
import type { AccountService } from "./accounts.ts";
import type { AuthFailureGuard } from "./auth-failure-guard.ts";
import type { Authenticator, AuthResult } from "./authenticator.ts";
import type { FailedAuthenticationAudit } from "./failed-authentications.ts";
import type { RateLimitService } from "./rate-limits.ts";
import type { UsageRecorder } from "./usage-recorder.ts";

export const UNAUTHORIZED_MESSAGE =
  "Missing or invalid API key. Send it as: Authorization: Basic <api_key> (or Basic <credential_id>:<api_key>)";

/** Where a request came in: the service's own API, or one of the ways the provider's APIs ask. */
export type EntryPoint = "api" | "forward_auth" | "gateway" | "verifier";

/** One partner request, as every entry point sees it. */
export interface AuthorizationRequest {
  /** The `Authorization` header as sent. */
  authorization: string | undefined;
  /** The `Klarna-Partner-Account` header as sent: an Acquiring Partner acting for a Partner Account. */
  partnerAccount?: string | undefined;
  /** The account id of the path form (`/v1/accounts/{account_id}/…`). */
  pathAccountId?: string | undefined;
  /** The client certificate: DER from our own TLS listener, or PEM forwarded by a trusted proxy. */
  clientCertificate: Buffer | string | null;
  sourceIp: string;
  /** The rate-limit category the request counts against (`RATE_LIMIT_<CATEGORY>`, any letter case). */
  category: string;
  /** The environment the API serves; absent: whatever the key's own is. */
  environment?: Environment | null;
  entry: EntryPoint;
  /**
   * The permission the request needs (domain/permissions.ts). For the provider's APIs it is the
   * category in lower case unless given.
   */
  permission?: string;
  /** The request sets the caller's mTLS up (domain/mtls-policy.ts): allowed past the mTLS deadline. */
  mtlsSetup?: boolean;
}

/** What the responses report, allowed or not. */
export interface ReportedStatus {
  /** Reported once the account has a client certificate. */
  mtlsStatus: MtlsStatus | null;
  /** Reported in REPORTING mode only. */
  ipStatus: "ALLOWED" | "DENIED" | null;
  /** The operator requires mTLS of this account, not yet enforced: calls are refused from this instant. */
  mtlsDeadline: Date | null;
  /** The rate-limit level to report (a refusal, else the account acted on), once counted. */
  rate: RateDecision | null;
}

export type DenialOutcome =
  | "UNAUTHORIZED"
  | "AUTH_FAILURES"
  | "WRONG_ENVIRONMENT"
  | "FORBIDDEN"
  | "MTLS_REQUIRED"
  | "IP_NOT_ALLOWED"
  | "INVALID_TARGET"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "INVALID_REQUEST";

export type Authorization =
  | (ReportedStatus & {
      outcome: "ALLOWED";
      /** The account the request acts on: the key's own, or the Partner Account it targets. */
      account: Account;
      /** The key's own account. */
      caller: Account;
      credential: Credential;
      /** The targeted Partner Account, when an Acquiring Partner acts for one. */
      managed: Account | null;
      environment: Environment;
    })
  | (ReportedStatus & {
      outcome: DenialOutcome;
      /** The contract error to answer with (status, body, and headers such as Retry-After). */
      error: AppError;
      /** Why the key itself failed, for logs and metrics (MISSING, UNKNOWN, DISABLED…). */
      keyResult?: string;
    });

export interface AuthorizationCounters {
  authentication(result: string): void;
  rateLimitDenied(category: string): void;
  decided(entry: EntryPoint, outcome: Authorization["outcome"]): void;
}

export interface RequestAuthorizerOptions {
  authenticator: Authenticator;
  guard: AuthFailureGuard;
  access: AccessPolicy;
  accounts: AccountService;
  rateLimits: RateLimitService;
  usage: UsageRecorder;
  /** Where refused authentications of real credentials are recorded for their owners. */
  failures: FailedAuthenticationAudit;
  clock: Clock;
  brand: string;
  mtlsRequirement: MtlsRequirement;
  counters: AuthorizationCounters;
}

const NOTHING_REPORTED: ReportedStatus = Object.freeze({
  mtlsStatus: null,
  ipStatus: null,
  mtlsDeadline: null,
  rate: null,
});

/**
 * The one decision behind every partner request, wherever it arrives (the service's own API, the
 * forward-auth endpoint, the gateway, the in-process verifier): key (and, for a failed key, the
 * guessing defence), environment, mTLS, IP allow-list, target account and rate limits, in that
 * order; an admitted request records the key's use, and every request of a valid key that reaches
 * the IP allow-list counts its address for the account's report. A tagged result, never an exception
 * for anything a client can send. Every key failure looks the same to the caller.
 */
export class RequestAuthorizer {
  readonly #o: RequestAuthorizerOptions;
  readonly #partnerAccountHeader: string;

  constructor(options: RequestAuthorizerOptions) {
    this.#o = options;
    this.#partnerAccountHeader = `${headerPrefix(options.brand)}-Partner-Account`;
  }

  /** Whether requests can count against this category (it has a default limit); any letter case. */
  knowsCategory(category: string): boolean {
    return this.#o.rateLimits.hasCategory(category.toUpperCase());
  }

  async authorize(request: AuthorizationRequest): Promise<Authorization> {
    const decision = await this.#decide(request);
    this.#o.counters.decided(request.entry, decision.outcome);
    return decision;
  }

  async #decide(request: AuthorizationRequest): Promise<Authorization> {
    const o = this.#o;
    const category = request.category.toUpperCase();
    if (!this.knowsCategory(category)) {
      return denied(
        "INVALID_REQUEST",
        invalidParameter(
          "category",
          `${category.slice(0, 64)} has no rate limit (RATE_LIMIT_${category.slice(0, 64)})`,
        ),
      );
    }
    const presented = presentedKey(request.authorization);
    const key = presented?.apiKey ?? null;
    const checked = key === null ? null : await o.authenticator.authenticate(key);
    // A username that is not the key's own credential id makes the whole header wrong.
    const outcome: KeyOutcome | null =
      checked?.result === "VALID" &&
      !usernameMatches(presented?.username ?? null, checked.credential.credentialId)
        ? { result: "WRONG_USERNAME", credential: checked.credential }
        : checked;
    const keyResult = outcome?.result ?? "MISSING";
    o.counters.authentication(keyResult);
    if (outcome?.result !== "VALID") {
      if (outcome && "credential" in outcome)
        o.failures.note(outcome.credential, request.sourceIp, outcome.result);
      // The guessing defence stops failed attempts only: a valid key is never refused by it.
      const blocked = await o.guard.ipBlocked(request.sourceIp);
      if (blocked) {
        o.counters.rateLimitDenied("AUTH_FAILURES");
        return {
          ...denied("AUTH_FAILURES", rateLimited(blocked, "failed authentications from this address")),
          keyResult,
        };
      }
      const lookupId = key === null ? null : (parseKey(o.brand, key)?.lookupId ?? null);
      const refusal = await o.guard.recordFailure(request.sourceIp, lookupId);
      if (refusal) {
        o.counters.rateLimitDenied("AUTH_FAILURES");
        return { ...denied("AUTH_FAILURES", rateLimited(refusal, "failed authentications")), keyResult };
      }
      return { ...denied("UNAUTHORIZED", new AppError("UNAUTHORIZED", UNAUTHORIZED_MESSAGE)), keyResult };
    }
    const { account: caller, credential } = outcome;
    const environment = request.environment ?? credential.environment;
    if (environment !== credential.environment) {
      return denied(
        "WRONG_ENVIRONMENT",
        new AppError(
          "UNAUTHORIZED",
          `This is a ${credential.environment} key; this API serves the ${environment} environment`,
        ),
      );
    }
    const needed = request.permission ?? (request.entry === "api" ? null : category.toLowerCase());
    if (needed !== null && !allows(credential.permissions, needed)) {
      return denied(
        "FORBIDDEN",
        new AppError("FORBIDDEN", `This key does not have the permission ${needed}`),
      );
    }
    const accessInput = {
      account: caller,
      sourceIp: request.sourceIp,
      presentedCertificate: request.clientCertificate,
    };
    const access = o.access.evaluateWithoutCertificate(accessInput) ?? (await o.access.evaluate(accessInput));
    const now = o.clock.now();
    // The IP allow-list report: every request of a valid key that reaches the list, refused or not.
    o.usage.noteAddress(caller.accountId, request.sourceIp, access.ipVerdict, now);
    const reported: ReportedStatus = {
      mtlsStatus: access.mtlsStatus,
      ipStatus: access.ipStatus,
      mtlsDeadline: mtlsDeadline(caller, o.mtlsRequirement, now),
      rate: null,
    };
    if (access.denial) {
      const why = access.denial.code === "MTLS_REQUIRED" ? "MTLS_REQUIRED" : "IP_NOT_ALLOWED";
      return { ...reported, outcome: why, error: access.denial };
    }
    const deadline = reported.mtlsDeadline;
    if (deadline !== null && deadline.getTime() <= now.getTime() && !request.mtlsSetup) {
      return {
        ...reported,
        outcome: "MTLS_REQUIRED",
        error: new AppError(
          "MTLS_REQUIRED",
          `Acquiring Partners must use mTLS since ${deadline.toISOString()}: issue a client certificate (POST /v1/account/client-certificates) and enforce it (PUT /v1/account/mtls-enforcement)`,
        ),
      };
    }
    // Most requests act on the caller's own account: no lookup, no promise.
    const target =
      request.pathAccountId === undefined && request.partnerAccount === undefined
        ? null
        : await this.#target(request, caller, credential.environment);
    if (target instanceof AppError) {
      return {
        ...reported,
        outcome: target.code === "NOT_FOUND" ? "NOT_FOUND" : "INVALID_TARGET",
        error: target,
      };
    }
    // An account's security settings (IP list, mTLS, certificates, origins) guard its LIVE traffic
    // too: a TEST key may read them but never change those of a LIVE account.
    if (
      needed === "security:write" &&
      credential.environment === "TEST" &&
      (target ?? caller).environment === "LIVE"
    ) {
      return {
        ...reported,
        outcome: "FORBIDDEN",
        error: new AppError("FORBIDDEN", "A TEST key cannot change the security settings of a LIVE account"),
      };
    }
    // Budgets are per account, never per credential: the caller, its Acquiring Partner, and the
    // Partner Account it acts on all count this request.
    const rate = await o.rateLimits.consumeFor(caller, target, category);
    if (rate && !rate.allowed) {
      o.counters.rateLimitDenied(category);
      return {
        ...reported,
        rate,
        outcome: "RATE_LIMITED",
        error: rateLimited(rate, "requests for this account"),
      };
    }
    // Only an admitted request is a use of the key (not one refused for its address or certificate).
    o.usage.record({
      credentialId: credential.credentialId,
      accountId: credential.accountId,
      usedAt: now,
      sourceIp: request.sourceIp,
    });
    return {
      mtlsStatus: reported.mtlsStatus,
      ipStatus: reported.ipStatus,
      mtlsDeadline: reported.mtlsDeadline,
      rate,
      outcome: "ALLOWED",
      account: target ?? caller,
      caller,
      credential,
      managed: target,
      environment,
    };
  }

  /**
   * The Partner Account the request targets, by path or by header (both forms of the reference
   * API): null for the caller's own account; "not found" unless the caller manages it, so account
   * ids are never confirmed to outsiders. Never ignored: a malformed header is a 400.
   */
  async #target(
    request: AuthorizationRequest,
    caller: Account,
    keyEnvironment: Environment,
  ): Promise<Account | null | AppError> {
    const { pathAccountId } = request;
    const header = request.partnerAccount;
    if (pathAccountId !== undefined && !ACCOUNT_ID_PATTERN.test(pathAccountId)) {
      return invalidParameter(
        "account_id",
        "must be krn:partner:global:account:<live|test>:<8 alphanumerics>",
      );
    }
    if (header !== undefined && !ACCOUNT_ID_PATTERN.test(header)) {
      return invalidParameter(
        this.#partnerAccountHeader,
        "must be krn:partner:global:account:<live|test>:<8 alphanumerics>",
      );
    }
    if (header !== undefined && pathAccountId !== undefined && header !== pathAccountId) {
      return invalidParameter(this.#partnerAccountHeader, "names another account than the path");
    }
    const accountId = pathAccountId ?? header;
    if (accountId === undefined) return null;
    try {
      const target = await this.#o.accounts.resolveManaged(caller, accountId);
      // A TEST key does not see LIVE Partner Accounts at all.
      if (!isVisible(target.environment, environmentsOfKey(keyEnvironment))) return notFound("Account");
      return target;
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  }
}

/**
 * What a suspended account's callers are answered, wherever they come from: its keys get the
 * authenticator's SUSPENDED, refused like any bad key, and its console users the same error.
 */
export function suspensionRefusal(caller: Account): AppError | null {
  return callerSuspended(caller) ? new AppError("UNAUTHORIZED", UNAUTHORIZED_MESSAGE) : null;
}

/** The key's check, and a username that names another credential. */
type KeyOutcome = AuthResult | { result: "WRONG_USERNAME"; credential: Credential };

/** An allowed request: who it is and what it acts on. */
export type AllowedRequest = Extract<Authorization, { outcome: "ALLOWED" }>;
export type DeniedRequest = Exclude<Authorization, { outcome: "ALLOWED" }>;
type Denial = DeniedRequest;

function denied(outcome: DenialOutcome, error: AppError): Denial {
  return { ...NOTHING_REPORTED, outcome, error };
}
