import type { CredentialUse, Store } from "../store/port.ts";

/**
 * Coalesces last-use updates in memory so that authentication never waits for a write:
 * at most one write per credential per flush, flushed on an interval and on shutdown.
 */
export class UsageRecorder {
  readonly #store: Store;
  readonly #pending = new Map<string, CredentialUse>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> = Promise.resolve();

  constructor(store: Store) {
    this.#store = store;
  }

  record(use: CredentialUse): void {
    const previous = this.#pending.get(use.credentialId);
    if (!previous || previous.usedAt.getTime() <= use.usedAt.getTime()) {
      this.#pending.set(use.credentialId, use);
    }
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Writes everything recorded so far as one batch; later records wait for the next flush.
   * A failed batch goes back into the queue (unless newer uses replaced it) for the next flush.
   */
  flush(): Promise<void> {
    const run = this.#flushing
      .catch(() => undefined)
      .then(async () => {
        if (this.#pending.size === 0) return;
        // Always the same row order, so flushes of several instances cannot deadlock each other.
        const batch = [...this.#pending.values()].sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
        this.#pending.clear();
        try {
          await this.#store.recordCredentialUses(batch);
        } catch (error) {
          for (const use of batch) this.record(use);
          throw error;
        }
      });
    this.#flushing = run;
    return run;
  }

  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.#timer ??= setInterval(() => {
      this.flush().catch(onError);
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }
}
