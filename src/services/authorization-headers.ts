import { rateLimitHeaders } from "../domain/rate-limit.ts";
import type { AllowedRequest as Allowed, ReportedStatus } from "./request-authorizer.ts";

interface StatusHeaderNames {
  mtlsStatus: string;
  ipStatus: string;
  mtlsEnforcement: string;
  mtlsDeadline: string;
}

/** Header names are made once per brand prefix: `of(prefix)` builds them, the result is kept. */
function perPrefix<T>(of: (prefix: string) => T): (prefix: string) => T {
  const made = new Map<string, T>();
  return (prefix) => {
    let names = made.get(prefix);
    if (names === undefined) {
      names = of(prefix);
      made.set(prefix, names);
    }
    return names;
  };
}

const statusHeaderNames = perPrefix(
  (prefix): StatusHeaderNames => ({
    mtlsStatus: `${prefix}-Mtls-Verification-Status`,
    ipStatus: `${prefix}-Ip-Validation-Status`,
    mtlsEnforcement: `${prefix}-Mtls-Enforcement`,
    mtlsDeadline: `${prefix}-Mtls-Enforcement-Deadline`,
  }),
);

/** A deadline is the same instant on every call of an account: format it once. */
const deadlineText = new Map<number, string>();

function isoOf(instant: Date): string {
  const ms = instant.getTime();
  let text = deadlineText.get(ms);
  if (text === undefined) {
    if (deadlineText.size >= 10_000) deadlineText.clear();
    text = instant.toISOString();
    deadlineText.set(ms, text);
  }
  return text;
}

/** The status headers every answer carries: mTLS and IP validation, operator policy, rate limits. */
export function statusHeaders(reported: ReportedStatus, prefix: string): Record<string, string> {
  const names = statusHeaderNames(prefix);
  const headers: Record<string, string> = reported.rate?.allowed ? rateLimitHeaders(reported.rate) : {};
  if (reported.mtlsStatus) headers[names.mtlsStatus] = reported.mtlsStatus;
  if (reported.ipStatus) headers[names.ipStatus] = reported.ipStatus;
  if (reported.mtlsDeadline) {
    headers[names.mtlsEnforcement] = "REQUIRED_NOT_ENFORCED";
    headers[names.mtlsDeadline] = isoOf(reported.mtlsDeadline);
  }
  return headers;
}

/** The names of the identity headers; a partner's own headers of these names are never passed on. */
export const identityHeaderNames = perPrefix((prefix) => ({
  accountId: `X-${prefix}-Account-Id`,
  actingAccountId: `X-${prefix}-Acting-Account-Id`,
  credentialId: `X-${prefix}-Credential-Id`,
  environment: `X-${prefix}-Environment`,
  identity: `X-${prefix}-Identity`,
}));

/** Who the request is, for the upstream API: the account acted on, the acting one, the key, the environment. */
export function identityHeaders(allowed: Allowed, prefix: string): Record<string, string> {
  const names = identityHeaderNames(prefix);
  const headers: Record<string, string> = {};
  headers[names.accountId] = allowed.account.accountId;
  if (allowed.managed) headers[names.actingAccountId] = allowed.caller.accountId;
  headers[names.credentialId] = allowed.credential.credentialId;
  headers[names.environment] = allowed.environment;
  return headers;
}
