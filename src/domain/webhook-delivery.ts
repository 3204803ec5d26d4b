/**
 * When a failing delivery is tried again, as offsets from its first attempt: at once, then after
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h, 48 h and 72 h. Ten attempts over three days; after the
 * last one fails the delivery is FAILED. Any 2xx answer is a delivery.
 */
export const RETRY_OFFSETS_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  24 * 3_600_000,
  48 * 3_600_000,
  72 * 3_600_000,
];

/** An endpoint whose deliveries have failed without a success for this long is disabled. */
export const ENDPOINT_FAILING_LIMIT_MS = 72 * 3_600_000;

/** How long a claimed delivery is held by the instance that claimed it before another may take it. */
export const DELIVERY_LEASE_MS = 60_000;

/** How long a delivery may take, from connecting to the answer's status. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** How long the secret a rotation replaced keeps signing beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

/**
 * The next attempt of a delivery whose attempt number `attempts` (1 for the first) has just failed,
 * on the schedule counted from `firstAttemptAt`; null when that was the last.
 */
export function nextAttemptAt(firstAttemptAt: Date, attempts: number): Date | null {
  const offset = RETRY_OFFSETS_MS[attempts];
  return offset === undefined ? null : new Date(firstAttemptAt.getTime() + offset);
}

/** Whether an answer's status counts as delivered. */
export function isDelivered(status: number): boolean {
  return status >= 200 && status < 300;
}

/** How long the delivery log keeps a SUCCEEDED or FAILED delivery. */
export const DELIVERY_LOG_RETENTION_MS = 30 * 86_400_000;

/** How long a notice's marker is kept: past every window it guards (30 days at most). */
export const NOTICE_MARKER_RETENTION_MS = 60 * 86_400_000;
