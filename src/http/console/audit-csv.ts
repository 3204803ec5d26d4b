import type { AuditEvent } from "../../domain/types.ts";

const COLUMNS = [
  "occurred_at",
  "action",
  "actor",
  "target_type",
  "target_id",
  "source_ip",
  "status_before",
  "status_after",
  "reason",
] as const;

/**
 * One CSV cell: always quoted (quotes doubled), and text a spreadsheet would run as a formula
 * (starting with = + - @, or a tab or carriage return) prefixed with a single quote.
 */
export function csvCell(value: string | null): string {
  const text = value ?? "";
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The events as RFC 4180 CSV: a header line, then one line per event, CRLF-terminated. */
export function auditCsv(events: readonly AuditEvent[]): string {
  const lines = [COLUMNS.join(",")];
  for (const e of events) {
    lines.push(
      [
        e.occurredAt.toISOString(),
        e.action,
        e.actor,
        e.targetType,
        e.targetId,
        e.sourceIp,
        e.statusBefore,
        e.statusAfter,
        e.reason,
      ]
        .map(csvCell)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
