import { LRUCache } from "lru-cache";
import type { Clock } from "../domain/runtime.ts";
import type { Credential } from "../domain/types.ts";
import { type Entry, type Freshness, freshnessCheck } from "./cache-entry.ts";
import type { InvalidationBus } from "./invalidation-bus.ts";
import type { CredentialQuery } from "./port.ts";
import type { CacheCounters } from "./verification-cache.ts";

export interface ListingCacheOptions extends Freshness {
  /** Credentials held in all cached pages together (`LIST_CACHE_SIZE`); 0 caches nothing. */
  maxCredentials: number;
}

/**
 * Pages of credential lists as the store answered them, per account, trusted as the verification
 * cache's entries are (VERIFICATION_CACHE_TTL while the bus works, CACHE_FALLBACK_TTL otherwise).
 * Every change to a credential is announced with its account (a status change, a new key, a
 * description, the last uses a flush wrote), and drops every cached page of that account on every
 * instance; a read that began before an announcement is not kept. A page and its credentials are
 * frozen: every request that lists the same page gets the same objects (see the presenters).
 */
export class ListingCache {
  readonly #pages: LRUCache<string, Entry<readonly Credential[]>>;
  /** The keys of each account's cached pages. */
  readonly #ofAccount = new Map<string, Set<string>>();
  readonly #fresh: <T>(entry: Entry<T> | undefined) => entry is Entry<T>;
  readonly #clock: Clock;
  readonly #enabled: boolean;
  readonly #counters: CacheCounters | undefined;
  #generation = 0;

  constructor(
    options: ListingCacheOptions & { bus: InvalidationBus; clock: Clock; counters?: CacheCounters },
  ) {
    this.#counters = options.counters;
    this.#enabled = options.maxCredentials > 0;
    this.#fresh = freshnessCheck(options, options.bus, options.clock);
    this.#clock = options.clock;
    this.#pages = new LRUCache({
      maxSize: Math.max(1, options.maxCredentials),
      // An empty page still takes a slot.
      sizeCalculation: (entry) => entry.value.length + 1,
      dispose: (_entry, key) => this.#unindex(key),
    });
    options.bus.subscribe((event) => {
      this.#generation++;
      if (event.kind === "credential-lists") for (const id of event.accountIds) this.#forget(id);
      else if (event.accountId !== undefined) this.#forget(event.accountId);
      // A credential announced without its account (an earlier version's message): any list.
      else this.#clear();
    });
    options.bus.onReconnect(() => {
      this.#generation++;
      this.#clear();
    });
  }

  /** The page this query asks for, from the cache while fresh, else from `read` (and kept). */
  page(query: CredentialQuery, read: () => Promise<readonly Credential[]>): Promise<readonly Credential[]> {
    return this.#cached(query.accountId, pageKey(query), read);
  }

  /** One credential of the account (null: none), kept as a page of one (or none). */
  async credential(
    accountId: string,
    credentialId: string,
    read: () => Promise<Credential | null>,
  ): Promise<Credential | null> {
    const [found] = await this.#cached(accountId, `${accountId}\n=${credentialId}`, async () => {
      const credential = await read();
      return credential ? [credential] : [];
    });
    return found ?? null;
  }

  async #cached(
    accountId: string,
    key: string,
    read: () => Promise<readonly Credential[]>,
  ): Promise<readonly Credential[]> {
    if (!this.#enabled) return read();
    const entry = this.#pages.get(key);
    if (this.#fresh(entry)) {
      this.#counters?.hit();
      return entry.value;
    }
    this.#counters?.miss();
    const started = this.#generation;
    const at = this.#clock.now().getTime();
    const rows = await read();
    if (started !== this.#generation) return rows;
    for (const row of rows) Object.freeze(row);
    const value = Object.freeze(rows);
    this.#pages.set(key, { value, at });
    const keys = this.#ofAccount.get(accountId);
    if (keys) keys.add(key);
    else this.#ofAccount.set(accountId, new Set([key]));
    return value;
  }

  #clear(): void {
    this.#pages.clear();
    this.#ofAccount.clear();
  }

  #forget(accountId: string): void {
    const keys = this.#ofAccount.get(accountId);
    if (!keys) return;
    this.#ofAccount.delete(accountId);
    for (const key of keys) this.#pages.delete(key);
  }

  #unindex(key: string): void {
    const accountId = accountOfKey(key);
    const keys = this.#ofAccount.get(accountId);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.#ofAccount.delete(accountId);
  }
}

/** The account id, then everything else that selects the rows, in a fixed order. */
function pageKey(q: CredentialQuery): string {
  return `${q.accountId}\n${q.type ?? ""}|${q.environment ?? ""}|${q.status ?? ""}|${q.includeDeleted ? 1 : 0}|${q.limit}|${q.after ? `${q.after.at}|${q.after.id}` : ""}`;
}

function accountOfKey(key: string): string {
  return key.slice(0, key.indexOf("\n"));
}
