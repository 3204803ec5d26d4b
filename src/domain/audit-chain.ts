import { createHash } from "node:crypto";
import type { AuditEvent } from "./types.ts";

/** The hash before an account's first event. */
export const GENESIS = "0".repeat(64);

/** An event as the chain keeps it: its place in the account's trail and the hashes that link it. */
export interface ChainedAuditEvent extends AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * The hash of an event, linked to the one before it: SHA-256 over the previous hash and every field
 * of the event (its details, sorted by name, when it has any), so that changing, removing or reordering any event breaks every hash after it.
 */
export function chainHash(prevHash: string, event: AuditEvent): string {
  return createHash("sha256")
    .update(prevHash)
    .update(
      JSON.stringify([
        event.eventId,
        event.accountId,
        event.action,
        event.actor,
        event.targetType,
        event.targetId,
        event.sourceIp,
        event.statusBefore,
        event.statusAfter,
        event.reason,
        event.occurredAt.toISOString(),
        // Only events that carry details hash them: the chains written before details existed hold.
        ...(event.details ? [sortedByName(event.details)] : []),
      ]),
    )
    .digest("hex");
}

function sortedByName(details: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(details).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export type ChainCheck =
  | { intact: true; checked: number }
  | { intact: false; checked: number; firstBreak: { seq: number; eventId: string; problem: string } };

/** Walks an account's events in order and reports the first one that does not follow from the last. */
export function verifyChain(events: readonly ChainedAuditEvent[]): ChainCheck {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  for (const [index, event] of events.entries()) {
    const broken = (problem: string): ChainCheck => ({
      intact: false,
      checked: index,
      firstBreak: { seq: event.seq, eventId: event.eventId, problem },
    });
    if (event.seq !== expectedSeq)
      return broken(`expected event ${expectedSeq} here, found ${event.seq}: one is missing`);
    if (event.prevHash !== prevHash) return broken("does not link to the event before it");
    if (chainHash(prevHash, event) !== event.hash) return broken("its content was changed");
    prevHash = event.hash;
    expectedSeq += 1;
  }
  return { intact: true, checked: events.length };
}
