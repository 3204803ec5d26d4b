import type { CredentialUse, Store } from "../store/port.ts";

/** Where last-use records are written: the store, or a writer of its own (background-writer.ts). */
export type UsageWriter = Pick<Store, "recordCredentialUses">;

/**
 * Coalesces last-use updates in memory so that authentication never waits for a write:
 * at most one write per credential per flush. The `usage-flush` job flushes on an interval, and
 * closing the services flushes what is left.
 */
export class UsageRecorder {
  readonly #store: UsageWriter;
  readonly #pending = new Map<string, CredentialUse>();
  #flushing: Promise<void> = Promise.resolve();

  readonly #sliceSize: number;

  constructor(store: UsageWriter, options: { sliceSize?: number } = {}) {
    this.#store = store;
    this.#sliceSize = options.sliceSize ?? 500;
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
   * Writes everything recorded so far, in slices of `sliceSize` (one transaction each) with a turn
   * of the event loop between them, so that a flush of many keys never holds up requests for long;
   * later records wait for the next flush. What fails goes back into the queue (unless newer uses
   * replaced it) for the next flush.
   */
  flush(): Promise<void> {
    const run = this.#flushing
      .catch(() => undefined)
      .then(async () => {
        if (this.#pending.size === 0) return;
        // Always the same row order, so flushes of several instances cannot deadlock each other.
        const batch = [...this.#pending.values()].sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
        this.#pending.clear();
        for (let start = 0; start < batch.length; start += this.#sliceSize) {
          if (start > 0) await new Promise((resolve) => setImmediate(resolve));
          try {
            await this.#store.recordCredentialUses(batch.slice(start, start + this.#sliceSize));
          } catch (error) {
            for (const use of batch.slice(start)) this.record(use);
            throw error;
          }
        }
      });
    this.#flushing = run;
    return run;
  }
}
