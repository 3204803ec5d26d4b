import { LRUCache } from "lru-cache";
import type { Clock } from "../domain/runtime.ts";
import type { Account, Credential } from "../domain/types.ts";
import type { VerifiedKeys } from "../services/authenticator.ts";
import type { InvalidationBus } from "../services/invalidation-bus.ts";
import type { CredentialForAuth } from "./port.ts";

export interface CacheCounters {
  hit(): void;
  miss(): void;
}

export interface CachingOptions {
  /** How long an entry is trusted while the bus delivers invalidations. */
  ttlMs: number;
  /** How long an entry is trusted when there is no working bus: the bound on staleness. */
  fallbackTtlMs: number;
  /** Entries per kind (credentials, accounts, verified keys); the least recently used go first. */
  maxEntries: number;
}

interface Entry<T> {
  value: T;
  /** When the read that produced the value began. */
  at: number;
}

/** A key whose secret matched the stored hash, tied to the entries it was checked against. */
interface VerifiedKey {
  credential: Entry<CredentialForAuth | null>;
  account: Entry<Account | null>;
}

/**
 * The verification cache: credentials by lookup id, accounts by id, and the digests of keys already
 * verified against them, each an LRU bounded by `maxEntries`. Every change is published on the bus
 * and drops the entries it concerns, within the bus's delay; while the bus is down or absent,
 * entries live at most `fallbackTtlMs`. Negative results are cached for the fallback time only.
 *
 * A verified key is only as good as the two entries it was checked against: it is a hit only while
 * both are still the current, fresh entries, so it inherits their invalidation and their age.
 */
export class VerificationCache implements VerifiedKeys {
  readonly #credentials: LRUCache<string, Entry<CredentialForAuth | null>>;
  readonly #accounts: LRUCache<string, Entry<Account | null>>;
  readonly #keys: LRUCache<string, VerifiedKey>;
  readonly #options: CachingOptions;
  readonly #bus: InvalidationBus;
  readonly #clock: Clock;
  readonly #counters: CacheCounters;
  /**
   * Bumped by every invalidation: a read that started before one is not cached, because it may have
   * seen the store as it was before the change.
   */
  #generation = 0;

  constructor(options: CachingOptions & { bus: InvalidationBus; clock: Clock; counters: CacheCounters }) {
    this.#options = options;
    this.#bus = options.bus;
    this.#clock = options.clock;
    this.#counters = options.counters;
    this.#credentials = new LRUCache({ max: options.maxEntries });
    this.#accounts = new LRUCache({ max: options.maxEntries });
    this.#keys = new LRUCache({ max: options.maxEntries });
    this.#bus.subscribe((event) => {
      this.#generation++;
      if (event.kind === "credential") this.#credentials.delete(event.lookupId);
      else {
        this.#accounts.delete(event.accountId);
        for (const [lookupId, entry] of this.#credentials.entries()) {
          if (entry.value?.credential.accountId === event.accountId) this.#credentials.delete(lookupId);
        }
      }
    });
    this.#bus.onReconnect(() => {
      this.#generation++;
      this.#credentials.clear();
      this.#accounts.clear();
      this.#keys.clear();
    });
  }

  #fresh<T>(entry: Entry<T> | undefined): entry is Entry<T> {
    if (!entry) return false;
    const ttl =
      this.#bus.state() === "UP" && entry.value !== null ? this.#options.ttlMs : this.#options.fallbackTtlMs;
    return this.#clock.now().getTime() - entry.at < ttl;
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
   * The credential and account a key with this digest (domain/secret-hash.ts `keyDigest`) was verified against, while both entries
   * are still current and fresh; undefined otherwise (the caller verifies the key again).
   */
  verifiedKey(digest: string): { credential: Credential; account: Account } | undefined {
    const known = this.#keys.get(digest);
    if (!known) return undefined;
    const { credential, account } = known;
    const found = credential.value;
    const owner = account.value;
    if (
      found === null ||
      owner === null ||
      this.#credentials.get(found.credential.lookupId) !== credential ||
      this.#accounts.get(owner.accountId) !== account ||
      !this.#fresh(credential) ||
      !this.#fresh(account)
    ) {
      this.#keys.delete(digest);
      return undefined;
    }
    this.#counters.hit();
    return { credential: found.credential, account: owner };
  }

  /**
   * Remembers that the key with this digest matched `secretHash`, the stored hash of `lookupId`,
   * as long as the cached entries of that credential (still with that hash) and of `accountId` last.
   */
  rememberVerified(digest: string, input: { lookupId: string; secretHash: string; accountId: string }): void {
    const credential = this.#credentials.get(input.lookupId);
    const account = this.#accounts.get(input.accountId);
    if (!credential || !account || credential.value?.secret?.hash !== input.secretHash) return;
    if (account.value?.accountId !== input.accountId) return;
    this.#keys.set(digest, { credential, account });
  }
}
