import { randomUpperAlphanumeric } from "./base62.ts";
import type { Clock, Random } from "./runtime.ts";
import type { Environment } from "./types.ts";

export const ACCOUNT_ID_PATTERN = /^krn:partner:global:account:(live|test):([A-Z0-9]{8})$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newAccountId(environment: Environment, random: Random): string {
  return `krn:partner:global:account:${environment.toLowerCase()}:${randomUpperAlphanumeric(random, 8)}`;
}

/** The last segment of an account id: used as the CN of its client certificates. */
export function accountShortId(accountId: string): string {
  return accountId.slice(accountId.lastIndexOf(":") + 1);
}

let lastMs = -1;
let sequence = 0;

/**
 * UUID version 7 (RFC 9562): 48-bit millisecond timestamp, 12-bit sequence, then random bits.
 * Within one millisecond the sequence counts up (RFC 9562 §6.2, method 1), so ids made by this
 * process sort in the order they were made, which keeps same-millisecond audit events in order.
 */
export function newUuidV7(clock: Clock, random: Random): string {
  const bytes = Buffer.from(random.bytes(16));
  const ms = clock.now().getTime();
  if (ms <= lastMs && lastMs - ms < 1000) {
    // Same millisecond (or a clock step back of under a second): count on from the last id.
    sequence += 1;
    if (sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
  } else {
    lastMs = ms;
    sequence = bytes.readUInt16BE(6) & 0x7ff;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes.writeUInt16BE(0x7000 | sequence, 6);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
