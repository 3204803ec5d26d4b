/**
 * Requests from one address to one account, counted in memory between two flushes (see
 * services/address-tally.ts) and added to what the store holds.
 */
export interface AddressSighting {
  accountId: string;
  address: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  requests: number;
  /** Of `requests`, those the allow-list in force let through (REPORTING or ENFORCED). */
  allowed: number;
  /** Of `requests`, those the allow-list in force denied (REPORTING: answered, marked DENIED; ENFORCED: refused). */
  denied: number;
}

/** An address an account's keys were used from, with its counts since it was first seen. */
export type SeenAddress = Omit<AddressSighting, "accountId">;

/** The IP allow-list report's part of the Store port (see `Store`). */
export interface AddressesSeenPort {
  /**
   * Adds each sighting to its (account, address) row, creating it if new: counts add up, the first
   * and last seen instants only widen. One transaction.
   */
  recordAddressesSeen(sightings: readonly AddressSighting[]): Promise<void>;
  /** The account's addresses, the most recently seen first (ties by address), at most `limit`. */
  listAddressesSeen(accountId: string, limit: number): Promise<SeenAddress[]>;
  /**
   * Removes the addresses last seen before `seenBefore`, and those beyond the `keepPerAccount`
   * most recently seen of each account; returns how many.
   */
  pruneAddressesSeen(input: { seenBefore: Date; keepPerAccount: number }): Promise<number>;
}
