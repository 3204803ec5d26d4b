/**
 * The store could not be reached, or refused the operation for a reason that passes (a restart, a
 * failover, a lock held elsewhere, too many connections): the operation did not happen, or was
 * rolled back, and may be retried. Each adapter raises it for its driver's failures of this kind,
 * with the driver's error as `cause`; callers never look at driver codes or messages.
 */
export class StoreUnavailableError extends Error {
  override readonly name: string = "StoreUnavailableError";

  constructor(options: { cause: unknown; message?: string }) {
    super(options.message ?? "The store is unavailable", { cause: options.cause });
  }
}

/** The store did not answer in time (connecting, waiting for a lock, or running the statement). */
export class StoreTimeoutError extends StoreUnavailableError {
  override readonly name: string = "StoreTimeoutError";

  constructor(options: { cause: unknown }) {
    super({ cause: options.cause, message: "The store did not answer in time" });
  }
}
