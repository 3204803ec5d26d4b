import { invalidParameter } from "./errors.ts";

/** The audit log's filters as typed: an action or its family, and a span of UTC days. */
export interface AuditFilterInput {
  /** An action (`credential.disabled`) or its family (`credential`, covering `credential.*`). */
  type?: string | undefined;
  /** From the start of this UTC day (`YYYY-MM-DD`). */
  from?: string | undefined;
  /** Through the end of this UTC day (`YYYY-MM-DD`). */
  to?: string | undefined;
}

/** The filters as the store applies them; an absent field does not filter. */
export interface AuditEventFilter {
  /** An exact action, or a family: `credential` matches `credential` and every `credential.*`. */
  action?: string;
  /** Events at or after this instant. */
  occurredFrom?: Date;
  /** Events strictly before this instant. */
  occurredBefore?: Date;
}

/** The families of actions a filter form offers (any action, or family, can be typed too). */
export const AUDIT_ACTION_FAMILIES = [
  "credential",
  "client_certificate",
  "allowed_origin",
  "mtls_enforcement",
  "ip_restriction",
  "webhook_endpoint",
  "account",
  "onboarding_link",
  "rate_limits",
  "console",
] as const;

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The start of a UTC day written `YYYY-MM-DD`; anything else (or a day that does not exist) is refused. */
function dayStart(text: string, parameter: "from" | "to"): Date {
  const at = Date.parse(`${text}T00:00:00.000Z`);
  if (!DAY.test(text) || Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== text) {
    throw invalidParameter(parameter, "must be a date such as 2026-01-31");
  }
  return new Date(at);
}

/**
 * The typed filters as store bounds: `from` is the first instant of its day (inclusive), `to` ends
 * before the next day begins (exclusive), and the type is trimmed and lower-cased (blank: any).
 * Throws VALIDATION_ERROR for a day that is not `YYYY-MM-DD` or a `to` before `from`.
 */
export function parseAuditFilter(input: AuditFilterInput): AuditEventFilter {
  const filter: AuditEventFilter = {};
  const action = input.type?.trim().toLowerCase() ?? "";
  if (action !== "") filter.action = action;
  if (input.from) filter.occurredFrom = dayStart(input.from, "from");
  if (input.to) filter.occurredBefore = new Date(dayStart(input.to, "to").getTime() + DAY_MS);
  if (
    filter.occurredFrom &&
    filter.occurredBefore &&
    filter.occurredFrom.getTime() >= filter.occurredBefore.getTime()
  ) {
    throw invalidParameter("to", "must not be before from");
  }
  return filter;
}

/** The prefix every action of the family `action` starts with (`credential` → `credential.`). */
export function actionFamilyPrefix(action: string): string {
  return `${action}.`;
}

/** The rule the store applies: the action itself, or any action of its family. */
export function actionMatches(filterAction: string, action: string): boolean {
  return action === filterAction || action.startsWith(actionFamilyPrefix(filterAction));
}

/** Whether an event passes the filter (the store's rule, written out for tests and callers in memory). */
export function auditEventMatches(
  filter: AuditEventFilter,
  event: { action: string; occurredAt: Date },
): boolean {
  const at = event.occurredAt.getTime();
  if (filter.occurredFrom && at < filter.occurredFrom.getTime()) return false;
  if (filter.occurredBefore && at >= filter.occurredBefore.getTime()) return false;
  return filter.action === undefined || actionMatches(filter.action, event.action);
}
