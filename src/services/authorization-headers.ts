import { rateLimitHeaders } from "../domain/rate-limit.ts";
import type { AllowedRequest as Allowed, ReportedStatus } from "./request-authorizer.ts";

/** The status headers every answer carries: mTLS and IP validation, operator policy, rate limits. */
export function statusHeaders(reported: ReportedStatus, prefix: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (reported.mtlsStatus) headers[`${prefix}-Mtls-Verification-Status`] = reported.mtlsStatus;
  if (reported.ipStatus) headers[`${prefix}-Ip-Validation-Status`] = reported.ipStatus;
  if (reported.mtlsDeadline) {
    headers[`${prefix}-Mtls-Enforcement`] = "REQUIRED_NOT_ENFORCED";
    headers[`${prefix}-Mtls-Enforcement-Deadline`] = reported.mtlsDeadline.toISOString();
  }
  if (reported.rate?.allowed) Object.assign(headers, rateLimitHeaders(reported.rate));
  return headers;
}

/** The names of the identity headers; a partner's own headers of these names are never passed on. */
export function identityHeaderNames(prefix: string): {
  accountId: string;
  actingAccountId: string;
  credentialId: string;
  environment: string;
  identity: string;
} {
  return {
    accountId: `X-${prefix}-Account-Id`,
    actingAccountId: `X-${prefix}-Acting-Account-Id`,
    credentialId: `X-${prefix}-Credential-Id`,
    environment: `X-${prefix}-Environment`,
    identity: `X-${prefix}-Identity`,
  };
}

/** Who the request is, for the upstream API: the account acted on, the acting one, the key, the environment. */
export function identityHeaders(allowed: Allowed, prefix: string): Record<string, string> {
  const names = identityHeaderNames(prefix);
  return {
    [names.accountId]: allowed.account.accountId,
    ...(allowed.managed ? { [names.actingAccountId]: allowed.caller.accountId } : {}),
    [names.credentialId]: allowed.credential.credentialId,
    [names.environment]: allowed.environment,
  };
}
