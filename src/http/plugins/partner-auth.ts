import type { FastifyRequest } from "fastify";
import { presentedApiKey } from "../../domain/authorization-header.ts";
import { AppError, invalidParameter } from "../../domain/errors.ts";
import { ACCOUNT_ID_PATTERN } from "../../domain/identifiers.ts";
import { parseKey } from "../../domain/key-format.ts";
import { rateLimited, rateLimitHeaders } from "../../domain/rate-limit.ts";
import type { Account } from "../../domain/types.ts";
import type { Metrics } from "../../metrics.ts";
import type { AccessPolicy } from "../../services/access-policy.ts";
import type { AccountService } from "../../services/accounts.ts";
import type { AuthFailureGuard } from "../../services/auth-failure-guard.ts";
import type { Authenticator } from "../../services/authenticator.ts";
import type { RateLimitService } from "../../services/rate-limits.ts";
import { clientCertificateSource, type TransportOptions } from "../transport.ts";
import type { App, Partner } from "../types.ts";

const UNAUTHORIZED = "Missing or invalid API key. Send it as: Authorization: Basic <api_key>";

export interface PartnerAuthOptions {
  authenticator: Authenticator;
  guard: AuthFailureGuard;
  rateLimits: RateLimitService;
  accounts: AccountService;
  access: AccessPolicy;
  transport: TransportOptions;
  headerPrefix: string;
  brand: string;
  metrics: Metrics;
  /** Operator policy: Acquiring Partners should enforce mTLS; responses say when they have not. */
  mtlsRequiredFor: "none" | "acquiring_partners";
}

/**
 * Authenticates every request of the scope it is registered in, before the body is read, then
 * applies the account's access policy (mTLS enforcement, IP allow-list) and reports its status
 * headers. Every key failure looks the same to the caller: which check failed is not revealed.
 */
export function registerPartnerAuth(app: App, options: PartnerAuthOptions): void {
  const certificateOf = clientCertificateSource(options.transport);
  const mtlsHeader = `${options.headerPrefix}-Mtls-Verification-Status`;
  const ipHeader = `${options.headerPrefix}-Ip-Validation-Status`;
  const enforcementHeader = `${options.headerPrefix}-Mtls-Enforcement`;
  app.decorateRequest("partner", null);
  app.addHook("onRequest", async (request, reply) => {
    const blocked = await options.guard.ipBlocked(request.ip);
    if (blocked) throw rateLimited(blocked, "failed authentications from this address");
    const key = presentedApiKey(request.headers.authorization);
    const outcome = key === null ? null : await options.authenticator.authenticate(key, request.ip);
    options.metrics.authentications.inc({ result: outcome?.result ?? "MISSING" });
    if (outcome?.result !== "VALID") {
      request.log.info({ auth: outcome?.result ?? "MISSING" }, "authentication failed");
      const lookupId = key === null ? null : (parseKey(options.brand, key)?.lookupId ?? null);
      const refusal = await options.guard.recordFailure(request.ip, lookupId);
      if (refusal) {
        options.metrics.rateLimitDenials.inc({ category: "AUTH_FAILURES" });
        throw rateLimited(refusal, "failed authentications");
      }
      throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
    }
    const { account } = outcome;
    const decision = await options.access.evaluate({
      account,
      sourceIp: request.ip,
      presentedCertificate: certificateOf(request),
    });
    if (decision.mtlsStatus) reply.header(mtlsHeader, decision.mtlsStatus);
    if (decision.ipStatus) reply.header(ipHeader, decision.ipStatus);
    if (
      options.mtlsRequiredFor === "acquiring_partners" &&
      account.kind === "ACQUIRING_PARTNER" &&
      account.security.mtlsEnforcedFrom === null
    ) {
      reply.header(enforcementHeader, "REQUIRED_NOT_ENFORCED");
    }
    if (decision.denial) {
      request.log.info({ access: decision.denial.code }, "access policy denied the request");
      throw decision.denial;
    }
    // Budgets are per account, never per credential: the caller, its Acquiring Partner, and the
    // Partner Account it acts on all count this request.
    const managed = await managedTarget(request, account, options.accounts);
    const parent = account.parentAccountId ? await options.accounts.get(account.parentAccountId) : null;
    const involved = [...(managed ? [managed] : []), account, ...(parent ? [parent] : [])];
    const rate = await options.rateLimits.consume(involved, "PARTNER_MANAGEMENT");
    if (rate) {
      if (!rate.allowed) {
        options.metrics.rateLimitDenials.inc({ category: "PARTNER_MANAGEMENT" });
        throw rateLimited(rate, "requests for this account");
      }
      reply.headers(rateLimitHeaders(rate));
    }
    request.partner = { account, credential: outcome.credential, mtlsStatus: decision.mtlsStatus, managed };
  });
}

/** The Partner Account named in the path, resolved once (404 unless the caller manages it). */
async function managedTarget(
  request: FastifyRequest,
  caller: Account,
  accounts: AccountService,
): Promise<Account | null> {
  const accountId = (request.params as { account_id?: unknown } | undefined)?.account_id;
  if (typeof accountId !== "string") return null;
  if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    throw invalidParameter("account_id", "must be krn:partner:global:account:<live|test>:<8 alphanumerics>");
  }
  return accounts.resolveManaged(caller, accountId);
}

/** The authenticated caller; routes of the partner scope only run after authentication. */
export function partnerOf(request: FastifyRequest): Partner {
  if (!request.partner) throw new AppError("UNAUTHORIZED", UNAUTHORIZED);
  return request.partner;
}
