import { invalidParameter } from "../../domain/errors.ts";
import { encodePageToken } from "../../domain/page-token.ts";
import type { Account, AuditEvent, Environment } from "../../domain/types.ts";
import type { AppServices } from "../types.ts";

/** The audit log's filters: an action or its family (`credential` covers `credential.*`), and days. */
export interface AuditFilter {
  type?: string | undefined;
  /** From the start of this UTC day (`YYYY-MM-DD`). */
  from?: string | undefined;
  /** Through the end of this UTC day. */
  to?: string | undefined;
}

/** The families of actions the filter offers (any action, or family, can be typed too). */
export const AUDIT_TYPES = [
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

function dayStart(text: string, parameter: "from" | "to"): number {
  const at = Date.parse(`${text}T00:00:00.000Z`);
  if (!DAY.test(text) || Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== text) {
    throw invalidParameter(parameter, "must be a date such as 2026-01-31");
  }
  return at;
}

/** The filter as bounds: `[fromMs, toMs)`, and the action test. */
export function auditBounds(filter: AuditFilter): {
  fromMs: number;
  toMs: number;
  matches(event: AuditEvent): boolean;
} {
  const fromMs = filter.from ? dayStart(filter.from, "from") : Number.NEGATIVE_INFINITY;
  const toMs = filter.to ? dayStart(filter.to, "to") + DAY_MS : Number.POSITIVE_INFINITY;
  if (fromMs >= toMs) throw invalidParameter("to", "must not be before from");
  const type = filter.type?.trim().toLowerCase() ?? "";
  return {
    fromMs,
    toMs,
    matches: (event) => {
      const at = event.occurredAt.getTime();
      if (at < fromMs || at >= toMs) return false;
      return type === "" || event.action === type || event.action.startsWith(`${type}.`);
    },
  };
}

const SCAN_PAGE = 100;

/**
 * The account's events that match the filter, newest first, read through `AuditService.list` (so
 * the same events, addresses and environments as the API's audit list): at most `limit`, reading at
 * most `maxScanned` events. `nextPageToken` continues after the last event returned; `incomplete`
 * says the scan stopped before the filter's end.
 */
export async function filteredAuditEvents(
  services: AppServices,
  input: {
    account: Account;
    viewer: Account | undefined;
    visible: readonly Environment[] | undefined;
    filter: AuditFilter;
    limit: number;
    maxScanned: number;
    pageToken?: string | undefined;
  },
): Promise<{ events: AuditEvent[]; nextPageToken: string | null; incomplete: boolean }> {
  const { fromMs, matches } = auditBounds(input.filter);
  const events: AuditEvent[] = [];
  let token = input.pageToken;
  let scanned = 0;
  for (;;) {
    const page = await services.audit.list(
      input.account.accountId,
      { pageSize: SCAN_PAGE, pageToken: token },
      input.viewer,
      input.visible,
    );
    for (const event of page.items) {
      scanned += 1;
      if (event.occurredAt.getTime() < fromMs) return { events, nextPageToken: null, incomplete: false };
      if (!matches(event)) continue;
      events.push(event);
      if (events.length === input.limit) {
        const more = page.nextPageToken !== null || event !== page.items[page.items.length - 1];
        return {
          events,
          nextPageToken: more
            ? encodePageToken({ at: event.occurredAt.toISOString(), id: event.eventId })
            : null,
          incomplete: false,
        };
      }
    }
    if (page.nextPageToken === null) return { events, nextPageToken: null, incomplete: false };
    if (scanned >= input.maxScanned) {
      const last = page.items[page.items.length - 1];
      return {
        events,
        nextPageToken: last ? encodePageToken({ at: last.occurredAt.toISOString(), id: last.eventId }) : null,
        incomplete: true,
      };
    }
    token = page.nextPageToken;
  }
}
