import { LRUCache } from "lru-cache";
import type { Clock } from "../domain/runtime.ts";
import type { Account, Credential } from "../domain/types.ts";
import type { VerifiedKeys } from "../services/authenticator.ts";
import { type Entry, type Freshness, freshnessCheck } from "./cache-entry.ts";
import type { InvalidationBus } from "./invalidation-bus.ts";
import type { CredentialForAuth } from "./port.ts";

export interface CacheCounters {
  hit(): void;
  miss(): void;
}

export interface CachingOptions extends Freshness {
  /** Entries per kind (credentials, accounts, verified keys); the least recently used go first. */
  maxEntries: number;
}

/** A key whose secret matched a stored hash: as true as long as that hash is the stored one. */
interface VerifiedKey {
  lookupId: string;
  secretHash: string;
  accountId: string;
}

/**
 * The verification cache: credentials by lookup id, accounts by id, and the digests of keys already
 * verified against them, each an LRU bounded by `maxEntries`. Every change is published on the bus
 * and drops the entries it concerns, within the bus's delay; while the bus is down or absent,
 * entries live at most `fallbackTtlMs`. Negative results are cached for the fallback time only.
 *
 * A verified key remembers which stored hash the presented key matched (a pure fact, kept until
 * evicted): it answers from memory while its credential (still with that hash) and account entries
 * are fresh, and spares the HMAC when they had to be read again.
 */
export class VerificationCache implements VerifiedKeys {
  readonly #credentials: LRUCache<string, Entry<CredentialForAuth | null>>;
  readonly #accounts: LRUCache<string, Entry<Account | null>>;
  readonly #keys: LRUCache<string, VerifiedKey>;
  readonly #fresh: <T>(entry: Entry<T> | undefined) => entry is Entry<T>;
  readonly #clock: Clock;
  readonly #counters: CacheCounters;
  /**
   * Bumped by every invalidation: a read that started before one is not cached, because it may have
   * seen the store as it was before the change.
   */
  #generation = 0;

  constructor(options: CachingOptions & { bus: InvalidationBus; clock: Clock; counters: CacheCounters }) {
    this.#fresh = freshnessCheck(options, options.bus, options.clock);
    this.#clock = options.clock;
    this.#counters = options.counters;
    this.#credentials = new LRUCache({ max: options.maxEntries });
    this.#accounts = new LRUCache({ max: options.maxEntries });
    this.#keys = new LRUCache({ max: options.maxEntries });
    options.bus.subscribe((event) => {
      // Only credential lists changed: nothing an authentication reads.
      if (event.kind === "credential-lists") return;
      this.#generation++;
      if (event.kind === "credential") this.#credentials.delete(event.lookupId);
      else {
        this.#accounts.delete(event.accountId);
        const ofAccount: string[] = [];
        for (const [lookupId, entry] of this.#credentials.entries()) {
          if (entry.value?.credential.accountId === event.accountId) ofAccount.push(lookupId);
        }
        for (const lookupId of ofAccount) this.#credentials.delete(lookupId);
      }
    });
    options.bus.onReconnect(() => {
      this.#generation++;
      this.#credentials.clear();
      this.#accounts.clear();
      this.#keys.clear();
    });
  }

  async #cached<T>(
    map: LRUCache<string, Entry<T>>,
    key: string,
    read: () => Promise<T>,
    counted: boolean,
  ): Promise<T> {
    const entry = map.get(key);
    if (this.#fresh(entry)) {
      if (counted) this.#counters.hit();
      return entry.value;
    }
    if (counted) this.#counters.miss();
    const started = this.#generation;
    const at = this.#clock.now().getTime(); // an entry's age counts from when its read began
    const value = await read();
    if (started === this.#generation) map.set(key, { value, at });
    return value;
  }

  /** The credential of a lookup id, from the cache while fresh, else from `read`. */
  credential(
    lookupId: string,
    read: () => Promise<CredentialForAuth | null>,
  ): Promise<CredentialForAuth | null> {
    return this.#cached(this.#credentials, lookupId, read, true);
  }

  /** An account, from the cache while fresh, else from `read`. */
  account(accountId: string, read: () => Promise<Account | null>): Promise<Account | null> {
    return this.#cached(this.#accounts, accountId, read, false);
  }

  /**
   * The credential and account a key with this digest (domain/secret-hash.ts `keyDigest`) was
   * verified against, while both entries are fresh and the credential still has the hash the key
   * matched; undefined otherwise (the caller reads them again).
   */
  verifiedKey(digest: string): { credential: Credential; account: Account } | undefined {
    const known = this.#keys.get(digest);
    if (!known) return undefined;
    const credential = this.#credentials.get(known.lookupId);
    const account = this.#accounts.get(known.accountId);
    if (!this.#fresh(credential) || !this.#fresh(account)) return undefined;
    const found = credential.value;
    if (found?.secret?.hash !== known.secretHash || account.value === null) return undefined;
    this.#counters.hit();
    return { credential: found.credential, account: account.value };
  }

  /** Whether the key with this digest was verified against this stored hash of this lookup id. */
  matched(digest: string, lookupId: string, secretHash: string): boolean {
    const known = this.#keys.peek(digest);
    return known !== undefined && known.lookupId === lookupId && known.secretHash === secretHash;
  }

  /** Remembers that the key with this digest matched `secretHash`, the stored hash of `lookupId`. */
  rememberVerified(digest: string, key: VerifiedKey): void {
    this.#keys.set(digest, { lookupId: key.lookupId, secretHash: key.secretHash, accountId: key.accountId });
  }
}
