import type { Clock } from "../domain/runtime.ts";
import type { Account } from "../domain/types.ts";
import type { InvalidationBus } from "../services/invalidation-bus.ts";
import type { CredentialForAuth, Store } from "./port.ts";

interface Entry<T> {
  value: T;
  at: number;
}

export interface CacheCounters {
  hit(): void;
  miss(): void;
}

export interface CachingOptions {
  /** How long an entry is trusted while the bus delivers invalidations. */
  ttlMs: number;
  /** How long an entry is trusted when there is no working bus: the bound on staleness. */
  fallbackTtlMs: number;
  maxEntries: number;
}

/** A bounded map that forgets its oldest entries first. */
class Bounded<T> {
  readonly #map = new Map<string, Entry<T>>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string): Entry<T> | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: T, at: number): void {
    this.#map.delete(key);
    this.#map.set(key, { value, at });
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value;
      if (oldest !== undefined) this.#map.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#map.delete(key);
  }

  deleteWhere(predicate: (value: T) => boolean): void {
    for (const [key, entry] of this.#map) if (predicate(entry.value)) this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}

/**
 * The verification cache: the two reads of every authentication (credential by lookup id, and its
 * account) served from memory. Every change made through this store is published on the bus, so
 * every instance drops the entry within the bus's delay; while the bus is down or absent, entries
 * live at most `fallbackTtlMs`. Negative results are cached for the fallback time only.
 */
export function cachingStore(
  inner: Store,
  options: CachingOptions & { bus: InvalidationBus; clock: Clock; counters: CacheCounters },
): Store {
  const credentials = new Bounded<CredentialForAuth | null>(options.maxEntries);
  const accounts = new Bounded<Account | null>(options.maxEntries);
  const { bus, clock, counters } = options;

  // Bumped by every invalidation: a read that started before one is not cached, because it may
  // have seen the store as it was before the change.
  let generation = 0;
  bus.subscribe((event) => {
    generation++;
    if (event.kind === "credential") credentials.delete(event.lookupId);
    else {
      accounts.delete(event.accountId);
      credentials.deleteWhere((value) => value?.credential.accountId === event.accountId);
    }
  });
  bus.onReconnect(() => {
    generation++;
    credentials.clear();
    accounts.clear();
  });

  const fresh = <T>(entry: Entry<T> | undefined): entry is Entry<T> => {
    if (!entry) return false;
    const ttl = bus.state() === "UP" && entry.value !== null ? options.ttlMs : options.fallbackTtlMs;
    return clock.now().getTime() - entry.at < ttl;
  };
  const credentialChanged = (credential: { lookupId: string; accountId: string } | null | undefined) => {
    if (credential) bus.publish({ kind: "credential", lookupId: credential.lookupId });
  };
  const accountChanged = (accountId: string) => bus.publish({ kind: "account", accountId });
  /**
   * A status change is announced whatever its outcome: a retry that finds the change already made,
   * or a commit whose reply was lost, must still make every instance drop what it cached.
   */
  const announced = async <T extends { lookupId: string; accountId: string } | null>(
    accountId: string,
    change: () => Promise<T>,
  ): Promise<T> => {
    let result: T | null = null;
    try {
      result = await change();
      return result;
    } finally {
      if (result) credentialChanged(result);
      else accountChanged(accountId);
    }
  };

  const overrides: Partial<Store> = {
    async findCredentialByLookupId(lookupId) {
      const entry = credentials.get(lookupId);
      if (fresh(entry)) {
        counters.hit();
        return entry.value;
      }
      counters.miss();
      const started = generation;
      const readAt = clock.now().getTime(); // an entry's age counts from when its read began
      const value = await inner.findCredentialByLookupId(lookupId);
      if (started === generation) credentials.set(lookupId, value, readAt);
      return value;
    },
    async findAccount(accountId) {
      const entry = accounts.get(accountId);
      if (fresh(entry)) return entry.value;
      const started = generation;
      const readAt = clock.now().getTime();
      const value = await inner.findAccount(accountId);
      if (started === generation) accounts.set(accountId, value, readAt);
      return value;
    },
    async disableActiveCredential(input) {
      return announced(input.accountId, () => inner.disableActiveCredential(input));
    },
    async enableDisabledCredential(input) {
      return announced(input.accountId, () => inner.enableDisabledCredential(input));
    },
    async rotateCredential(rotation) {
      return announced(rotation.accountId, () => inner.rotateCredential(rotation));
    },
    async applyLifecycleRule(input) {
      const changed = await inner.applyLifecycleRule(input);
      for (const credential of changed) credentialChanged(credential);
      return changed;
    },
    async updateIpRestriction(input) {
      const account = await inner.updateIpRestriction(input);
      accountChanged(input.accountId);
      return account;
    },
    async setMtlsEnforcement(input) {
      const account = await inner.setMtlsEnforcement(input);
      accountChanged(input.accountId);
      return account;
    },
    async setRateLimits(input) {
      const account = await inner.setRateLimits(input);
      accountChanged(input.accountId);
      return account;
    },
    async insertClientCertificate(input) {
      await inner.insertClientCertificate(input);
      accountChanged(input.certificate.accountId);
    },
    async revokeClientCertificate(input) {
      const revoked = await inner.revokeClientCertificate(input);
      accountChanged(input.accountId);
      return revoked;
    },
    // A suspension refuses every key of the account: announced whatever the outcome, as above.
    async suspendAccount(input) {
      try {
        return await inner.suspendAccount(input);
      } finally {
        accountChanged(input.accountId);
      }
    },
    async resumeAccount(input) {
      try {
        return await inner.resumeAccount(input);
      } finally {
        accountChanged(input.accountId);
      }
    },
  };

  return new Proxy(inner, {
    get(target, property, receiver) {
      const override = overrides[property as keyof Store];
      if (override) return override;
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
