import type { IpVerdict } from "../domain/addresses-seen.ts";
import type { AddressSighting } from "../store/addresses-seen-port.ts";

/**
 * Requests per (account, source address) since the last flush, counted in memory: what the IP
 * allow-list report adds to the store in batches. Noting a request is a map lookup and a few
 * increments, never a write. At most `maxPairs` pairs are held: a request from a new pair beyond
 * them is not counted, only reported to `onDropped` (a counter in /metrics).
 */
export class AddressTally {
  readonly #byAccount = new Map<string, Map<string, AddressSighting>>();
  readonly #maxPairs: number;
  readonly #onDropped: (requests: number) => void;
  #pairs = 0;

  constructor(options: { maxPairs: number; onDropped?: (requests: number) => void }) {
    this.#maxPairs = options.maxPairs;
    this.#onDropped = options.onDropped ?? (() => {});
  }

  /** Distinct pairs held. */
  get size(): number {
    return this.#pairs;
  }

  note(accountId: string, address: string, verdict: IpVerdict, at: Date): void {
    let addresses = this.#byAccount.get(accountId);
    const seen = addresses?.get(address);
    if (seen) {
      seen.requests++;
      if (verdict === "DENIED") seen.denied++;
      else if (verdict === "ALLOWED") seen.allowed++;
      if (at > seen.lastSeenAt) seen.lastSeenAt = at;
      return;
    }
    if (this.#pairs >= this.#maxPairs) {
      this.#onDropped(1);
      return;
    }
    if (!addresses) {
      addresses = new Map();
      this.#byAccount.set(accountId, addresses);
    }
    addresses.set(address, {
      accountId,
      address,
      firstSeenAt: at,
      lastSeenAt: at,
      requests: 1,
      allowed: verdict === "ALLOWED" ? 1 : 0,
      denied: verdict === "DENIED" ? 1 : 0,
    });
    this.#pairs++;
  }

  /** Everything counted so far, in (account, address) order (so that writers never deadlock), and empties the tally. */
  take(): AddressSighting[] {
    const taken: AddressSighting[] = [];
    for (const addresses of this.#byAccount.values()) taken.push(...addresses.values());
    this.#byAccount.clear();
    this.#pairs = 0;
    return taken.sort((a, b) =>
      a.accountId === b.accountId ? compare(a.address, b.address) : compare(a.accountId, b.accountId),
    );
  }

  /** Counts taken but not written go back, added to what was counted since (within the bound). */
  restore(sightings: readonly AddressSighting[]): void {
    for (const s of sightings) {
      const addresses = this.#byAccount.get(s.accountId);
      const seen = addresses?.get(s.address);
      if (seen) {
        seen.requests += s.requests;
        seen.allowed += s.allowed;
        seen.denied += s.denied;
        if (s.firstSeenAt < seen.firstSeenAt) seen.firstSeenAt = s.firstSeenAt;
        if (s.lastSeenAt > seen.lastSeenAt) seen.lastSeenAt = s.lastSeenAt;
      } else if (this.#pairs >= this.#maxPairs) {
        this.#onDropped(s.requests);
      } else {
        const map = addresses ?? new Map<string, AddressSighting>();
        if (!addresses) this.#byAccount.set(s.accountId, map);
        map.set(s.address, { ...s });
        this.#pairs++;
      }
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
