import {
  ADDRESSES_SEEN_PER_ACCOUNT,
  addressesSeenCutoff,
  type IpVerdict,
  MAX_PENDING_ADDRESSES,
} from "../domain/addresses-seen.ts";
import type { CredentialUse, Store } from "../store/port.ts";
import { AddressTally } from "./address-tally.ts";

/**
 * Where last-use records and addresses seen are written (and the latter pruned): the store, or a
 * writer of its own (background-writer.ts).
 */
export type UsageWriter = Pick<Store, "recordCredentialUses" | "recordAddressesSeen" | "pruneAddressesSeen">;

/**
 * Coalesces last-use updates in memory so that authentication never waits for a write:
 * at most one write per credential per flush, and none for a use within `precisionMs` of the last
 * one written from the same address (a key in constant use is written once a minute, not at every
 * flush). Counts the requests from each source address per
 * account the same way (the IP allow-list report: at most one write per pair per flush, at most
 * `maxPendingAddresses` pairs held). The `usage-flush` job flushes on an interval, and closing
 * the services flushes what is left.
 */
export class UsageRecorder {
  readonly #store: UsageWriter;
  readonly #pending = new Map<string, CredentialUse>();
  /** What this recorder last wrote per credential, kept `precisionMs` (at most `maxWritten` entries). */
  readonly #written = new Map<string, { at: number; sourceIp: string | null }>();
  readonly #precisionMs: number;
  readonly #maxWritten: number;
  #flushing: Promise<void> = Promise.resolve();

  readonly #sliceSize: number;
  readonly #addresses: AddressTally;

  constructor(
    store: UsageWriter,
    options: {
      sliceSize?: number;
      /**
       * A use this close to the last one written for the credential, from the same address, is not
       * written again (`LAST_USE_PRECISION`); 0 writes every use at the next flush.
       */
      precisionMs?: number;
      /** Bound on the written uses remembered for that; past it, uses are written as if none were. */
      maxWritten?: number;
      maxPendingAddresses?: number;
      /** Requests not counted in the report: too many pairs were pending. */
      onAddressesDropped?: (requests: number) => void;
    } = {},
  ) {
    this.#store = store;
    this.#sliceSize = options.sliceSize ?? 500;
    this.#precisionMs = options.precisionMs ?? 0;
    this.#maxWritten = options.maxWritten ?? 100_000;
    this.#addresses = new AddressTally({
      maxPairs: options.maxPendingAddresses ?? MAX_PENDING_ADDRESSES,
      ...(options.onAddressesDropped ? { onDropped: options.onAddressesDropped } : {}),
    });
  }

  /**
   * A request to `accountId` from `address`, and what the allow-list in force said of it (null
   * when none is): counted in memory, written by the next flush.
   */
  noteAddress(accountId: string, address: string, verdict: IpVerdict, at: Date): void {
    this.#addresses.note(accountId, address, verdict, at);
  }

  /** Distinct (account, address) pairs waiting for the next flush. */
  get pendingAddressCount(): number {
    return this.#addresses.size;
  }

  /** Removes addresses not seen for 30 days, and those beyond each account's 100 most recent. */
  pruneAddressesSeen(now: Date): Promise<number> {
    return this.#store.pruneAddressesSeen({
      seenBefore: addressesSeenCutoff(now),
      keepPerAccount: ADDRESSES_SEEN_PER_ACCOUNT,
    });
  }

  record(use: CredentialUse): void {
    const written = this.#written.get(use.credentialId);
    if (
      written !== undefined &&
      written.sourceIp === use.sourceIp &&
      use.usedAt.getTime() - written.at < this.#precisionMs
    ) {
      return;
    }
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
        // Both kinds of record are written whatever happens to the other; the first failure is thrown.
        const uses = await this.#flushUses().then(
          () => null,
          (error: unknown) => ({ error }),
        );
        await this.#flushAddresses();
        if (uses) throw uses.error;
      });
    this.#flushing = run;
    return run;
  }

  /** The addresses counted so far, in slices like the last-use records; what fails is counted again. */
  async #flushAddresses(): Promise<void> {
    if (this.#addresses.size === 0) return;
    const batch = this.#addresses.take();
    for (let start = 0; start < batch.length; start += this.#sliceSize) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      try {
        await this.#store.recordAddressesSeen(batch.slice(start, start + this.#sliceSize));
      } catch (error) {
        this.#addresses.restore(batch.slice(start));
        throw error;
      }
    }
  }

  /** The last-use records so far, in slices; what fails goes back (unless newer uses replaced it). */
  async #flushUses(): Promise<void> {
    if (this.#pending.size === 0) return;
    // Always the same row order, so flushes of several instances cannot deadlock each other.
    const batch = [...this.#pending.values()].sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
    this.#pending.clear();
    this.#forgetWrittenBefore(batch);
    for (let start = 0; start < batch.length; start += this.#sliceSize) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const slice = batch.slice(start, start + this.#sliceSize);
      try {
        await this.#store.recordCredentialUses(slice);
      } catch (error) {
        for (const use of batch.slice(start)) this.record(use);
        throw error;
      }
      this.#remember(slice);
    }
  }

  /** Drops what no longer saves a write: entries older than the precision, as of the batch's latest use. */
  #forgetWrittenBefore(batch: readonly CredentialUse[]): void {
    if (this.#precisionMs === 0 || this.#written.size === 0) return;
    let latest = 0;
    for (const use of batch) latest = Math.max(latest, use.usedAt.getTime());
    for (const [credentialId, written] of this.#written) {
      if (latest - written.at >= this.#precisionMs) this.#written.delete(credentialId);
    }
  }

  #remember(slice: readonly CredentialUse[]): void {
    if (this.#precisionMs === 0) return;
    for (const use of slice) {
      if (this.#written.size >= this.#maxWritten && !this.#written.has(use.credentialId)) return;
      this.#written.set(use.credentialId, { at: use.usedAt.getTime(), sourceIp: use.sourceIp });
    }
  }
}
