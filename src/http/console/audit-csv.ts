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

function csvLine(e: AuditEvent): string {
  return [
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
    .join(",");
}

/** The events as RFC 4180 CSV: a header line, then one line per event, CRLF-terminated. */
export function auditCsv(events: readonly AuditEvent[]): string {
  return [COLUMNS.join(","), ...events.map(csvLine)].map((line) => `${line}\r\n`).join("");
}

/** The same CSV in chunks, one per batch of events, for a response streamed as the batches are read. */
export async function* auditCsvChunks(
  batches: AsyncIterable<readonly AuditEvent[]>,
): AsyncGenerator<string, void, undefined> {
  yield `${COLUMNS.join(",")}\r\n`;
  for await (const events of batches) {
    if (events.length > 0) yield events.map((e) => `${csvLine(e)}\r\n`).join("");
  }
}
